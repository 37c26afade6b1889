/// <reference types="vite/client" />
import { setAccountLanguage } from "@/lib/account/language";
import { changeAccountEmail, changeAccountName, changeAccountPassword } from "@/lib/account/profile";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import type { z } from "zod";
import { type Db, rows } from "@/db/client";
import { people, requestDownloads } from "@/db/schema";
import { createDeletionTaskFromDialog } from "@/app/(app)/privacy/deletion-confirmation";
import { createRole, deleteRole, setAccountRoles, updateRole } from "@/lib/admin/roles";
import {
  createRetentionObligation, deleteRetentionObligation, listKeptRecords, listRetentionObligations, updateRetentionObligation,
} from "@/lib/obligations/obligations";
import { createApiToken, issueApiToken, revokeApiToken } from "@/lib/admin/tokens";
import type { Result } from "@/lib/errors";
import { type Operation, runOperation } from "@/lib/operation";
import { buildPersonExport, exportPerson } from "@/lib/people/export";
import { getPersonWithEligibility } from "@/lib/people/profile";
import { searchPeople } from "@/lib/people/search";
import { rectifyPerson } from "@/lib/people/rectify";
import { updateRegisterEntry } from "@/lib/register/register";
import { type Permission, SEEDED_ROLES } from "@/lib/permissions";
import { anonymiseTickets } from "@/lib/privacy/anonymise/anonymise-tickets";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { approvePrivacyTask } from "@/lib/privacy/deletion/four-eyes";
import { liftPrevention, preventAnonymisation, preventFromReview } from "@/lib/privacy/prevention/prevention";
import { updatePrivacySettings } from "@/lib/privacy/settings/settings";
import { previewDeletion, searchPeopleForDeletion } from "@/lib/privacy/deletion/preview";
import { dryRunBulkAnonymisation } from "@/lib/privacy/tasks/bulk-selection";
import { getPrivacyTask, listPrivacyTasks } from "@/lib/privacy/tasks/queries";
import {
  cancelAnonymisationTasks, cancelPrivacyTask, createAnonymisationTask, createBulkAnonymisation, retryPrivacyTask,
} from "@/lib/privacy/tasks/tasks";
import { createRetentionRule, deleteRetentionRule, dryRunDefinition, dryRunSavedRule, updateRetentionRule } from "@/lib/schedule/rules";
import { exportTickets } from "@/lib/tickets/export";
import { deleteTickets } from "@/lib/tickets/deletion/delete-tickets";
import { previewTicketAnonymisation, previewTicketDeletion } from "@/lib/tickets/deletion/preview";
import { exportAuditEntries, listAuditEntries, verifyAuditLog } from "@/lib/audit/queries";
import { decideNameMention, decideTaskMentions } from "@/lib/privacy/mentions/review";
import { taskJson } from "@/app/api/v1/privacy-tasks/task-json";
import { confirmRequestIdentity, extendRequest, registerRequest, updateRequest, withdrawRequest } from "@/lib/requests/requests";
import { getRequest, listRequests, searchPeopleForRequest } from "@/lib/requests/queries";
import { requestDetailJson } from "@/app/api/v1/requests/request-json";
import { fulfilRequest, refuseRequest } from "@/lib/requests/fulfil/fulfil";
import { hashDownloadToken } from "@/lib/requests/fulfil/export";
import { getRequestFulfilment } from "@/lib/requests/fulfil/queries";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, sendTestWebhook, setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";
import { listWebhookDeliveries, listWebhookEndpoints } from "@/lib/webhooks/queries";
import { encryptWebhookSecret, generateWebhookSecret } from "@/lib/webhooks/secret";
import { apiDocument } from "@/app/api/routes";
import { apiRoute, validatedRouteFiles } from "./api";
import { useTestDatabase } from "./db";
import { createAccount, createPerson, createPrivacyOfficer, createTicket, ROLE_NAMES, type RoleName } from "./fixtures";
import { arrangeRoles } from "./roles";
import { session } from "./session-stub";

// Who may do what, table-driven (STYLE §5). First every operation and query × every
// seeded role and no session: a caller without the permission gets `forbidden` and
// nothing is written; a caller with it is let through to the domain. Then every route
// handler under app/ × every method it exports × every role, no credentials, and the
// wrong kind of credentials: a refused caller's whole body is the error and nothing
// else; a permitted caller's whole body is what the contract says. New operations and
// routes fail the coverage checks until they are added here.

vi.mock("@/lib/auth/session", () => import("./session-stub"));

const CRON_SECRET = "matrix-cron-secret-0123456789";
vi.stubEnv("CRON_SECRET", CRON_SECRET);
const cachedEnv = globalThis as { __letheEnv?: unknown };
delete cachedEnv.__letheEnv;
afterAll(() => {
  vi.unstubAllEnvs();
  delete cachedEnv.__letheEnv;
});

const { db } = await useTestDatabase({ serveApp: true });
const { accounts, tokens } = await arrangeRoles(db);

// First, while nothing is queued: with its secret, the cron route runs every step.
it("the cron route, called with its secret, runs its steps", async () => {
  const { GET, POST } = apiRoute("/api/cron");
  for (const handler of [GET, POST]) {
    const response = await handler(new Request("http://lethe.test/api/cron", { method: handler === GET ? "GET" : "POST", headers: { Authorization: `Bearer ${CRON_SECRET}` } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true, durationMs: expect.any(Number), cycle: expect.any(Object), rules: expect.any(Object), tasks: expect.any(Object),
      outbox: expect.any(Object), purged: expect.any(Object), auditPurged: expect.any(Object), signIns: expect.any(Object), keptRecords: expect.any(Object),
      requestReminders: expect.any(Object), requestRetention: expect.any(Object), requestSubmissions: expect.any(Number),
      webhooks: expect.any(Object),
    });
  }
});

const permissionsOf = (role: RoleName) => SEEDED_ROLES.find((r) => r.name === role)!.permissions;
const holds = (role: RoleName, permission: Operation<z.ZodType, unknown>["permission"]) =>
  permission === "signed-in" || (typeof permission === "string" ? [permission] : permission).some((p) => permissionsOf(role).includes(p));

// ---------------------------------------------------------------- operations and queries

type GatedCase = {
  name: string;
  permission: Operation<z.ZodType, unknown>["permission"];
  /** Arranges what the call needs and returns its input. */
  input: (db: Db) => Promise<unknown>;
  run: (accountId: number | null, input: unknown) => Promise<Result<unknown>>;
};

/** A case whose input is typed by the operation's own schema (curried, so that the schema is known before the input is read). */
const gated = <S extends z.ZodType, R>(op: Operation<S, R>) => (input: (db: Db) => Promise<z.input<S>>): GatedCase => ({
  name: op.name, permission: op.permission, input, run: (accountId, prepared) => runOperation(op, { db, accountId, input: prepared }),
});

const CASES: GatedCase[] = [
  gated(rectifyPerson)(async (db) => ({ personId: (await createPerson(db)).id, firstName: "Corrected", lastName: "Name" })),
  gated(createRole)(async () => ({ name: `Role ${Math.random().toString(36).slice(2, 8)}`, permissions: ["people.read"] })),
  gated(updateRole)(async (db) => ({ roleId: await roleId(db, "Agent"), name: "Agent", description: "Reads records", permissions: ["people.read"] })),
  gated(deleteRole)(async (db) => ({ roleId: rows<{ id: number }>(await db.execute(sql`insert into roles (name) values (${`Temp ${Math.random()}`}) returning id`))[0].id })),
  gated(listRetentionObligations)(async () => ({})),
  gated(listKeptRecords)(async () => ({})),
  gated(createRetentionObligation)(async (db) => {
    await db.execute(sql`delete from retention_obligations`);
    return { recordType: "invoices", periodYears: 10, periodMonths: 0, countedFrom: "issued_on", fromEndOfYear: true, law: "§147 AO" };
  }),
  gated(updateRetentionObligation)(async (db) => ({
    obligationId: await obligationId(db), recordType: "invoices", periodYears: 6, periodMonths: 0, countedFrom: "due_on", law: "§257 HGB",
  })),
  gated(deleteRetentionObligation)(async (db) => ({ obligationId: await obligationId(db) })),
  gated(setAccountRoles)(async (db) => ({ accountId: (await createAccount(db, "Agent")).account.id, roleIds: [await roleId(db, "Agent")] })),
  gated(createApiToken)(async (db) => ({ accountId: (await createAccount(db, "Agent")).account.id, name: "matrix" })),
  gated(revokeApiToken)(async (db) => {
    const { account } = await createAccount(db, "Agent");
    const token = await issueApiToken(db, { accountId: account.id, name: "to revoke", actorAccountId: null });
    return { tokenId: token.id };
  }),
  gated(preventAnonymisation)(async (db) => ({ personId: (await createPerson(db)).id, reason: "Legal hold" })),
  gated(preventFromReview)(async (db) => ({ personId: (await createPerson(db)).id, reason: "Legal hold" })),
  gated(liftPrevention)(async (db) => ({ personId: (await createPerson(db, { preventedAt: new Date(), preventionReason: "Claim" })).id, reason: "Claim settled" })),
  gated(updatePrivacySettings)(async () => ({ inactivePeriods: 2 })),
  gated(createAnonymisationTask)(async (db) => ({ personId: (await longGonePerson(db)).id })),
  gated(createBulkAnonymisation)(async (db) => ({ personIds: [(await longGonePerson(db)).id] })),
  gated(createDeletionTask)(async (db) => ({ personId: (await createPerson(db)).id })),
  gated(createDeletionTaskFromDialog)(async (db) => ({ personId: (await createPerson(db)).id, confirm: "DELETE" })),
  gated(cancelPrivacyTask)(async (db) => ({ id: await queuedTask(db, "delete") })),
  gated(approvePrivacyTask)(async (db) => ({ id: await awaitingTask(db) })),
  gated(retryPrivacyTask)(async (db) => ({ id: rows<{ id: number }>(await db.execute(sql`update privacy_tasks set status = 'failed' where id = ${await queuedTask(db, "delete")} returning id`))[0].id })),
  gated(cancelAnonymisationTasks)(async (db) => ({ id: await queuedTask(db, "anonymise") })),
  gated(decideNameMention)(async (db) => ({ id: await openMention(db), decision: "keep" })),
  gated(fulfilRequest)(async (db) => ({ requestId: await openRequest(db, "rectification"), reply: "Corrected." })),
  gated(refuseRequest)(async (db) => ({ requestId: await openRequest(db, "erasure"), refusalBasis: "art17_3_b", reply: "Kept by law." })),
  gated(getRequestFulfilment)(async (db) => ({ requestId: await openRequest(db, "erasure") })),
  gated(decideTaskMentions)(async (db) => ({ taskId: await queuedTask(db, "delete"), decision: "keep" })),
  gated(anonymiseTickets)(async (db) => ({ ticketIds: [(await createTicket(db, { customerId: (await createPerson(db)).id })).id] })),
  gated(deleteTickets)(async (db) => ({ ticketIds: [(await createTicket(db, { customerId: (await createPerson(db)).id })).id] })),
  gated(previewTicketDeletion)(async (db) => ({ ticketIds: [(await createTicket(db, { customerId: null })).id] })),
  gated(previewTicketAnonymisation)(async (db) => ({ ticketIds: [(await createTicket(db, { customerId: null })).id] })),
  gated(createRetentionRule)(async () => ({
    name: "Old tickets", object: "ticket", conditions: { closedOlderThanDays: 400 }, action: "anonymise", schedule: { kind: "daily", hour: 3 }, enabled: false,
  })),
  gated(updateRetentionRule)(async (db) => ({
    id: await ruleId(db), name: "Renamed", object: "ticket", conditions: { closedOlderThanDays: 500 }, action: "anonymise", schedule: { kind: "daily", hour: 4 }, enabled: false,
  })),
  gated(deleteRetentionRule)(async (db) => ({ id: await ruleId(db) })),
  // Reads: the dialogs' look-ups, the API's and the downloads'.
  gated(searchPeopleForDeletion)(async () => ({ query: "alma" })),
  gated(previewDeletion)(async (db) => ({ personId: (await createPerson(db)).id })),
  gated(dryRunBulkAnonymisation)(async (db) => ({ personIds: [(await longGonePerson(db)).id] })),
  gated(dryRunSavedRule)(async (db) => ({ id: await ruleId(db) })),
  gated(dryRunDefinition)(async () => ({ object: "ticket", action: "anonymise", conditions: { closedOlderThanDays: "400" } })),
  gated(searchPeople)(async () => ({ query: "alma" })),
  gated(getPersonWithEligibility)(async (db) => ({ id: (await createPerson(db)).id })),
  gated(exportPerson)(async (db) => ({ id: (await createPerson(db)).id })),
  gated(listPrivacyTasks)(async () => ({})),
  gated(getPrivacyTask)(async (db) => ({ id: await queuedTask(db, "anonymise") })),
  gated(exportTickets)(async (db) => ({ ids: String((await createTicket(db, { customerId: (await createPerson(db)).id })).id) })),
  gated(listAuditEntries)(async () => ({ action: "person.rectified" })),
  gated(exportAuditEntries)(async () => ({ format: "csv", from: "2026-01-01", to: "2026-12-31" })),
  gated(verifyAuditLog)(async () => ({})),
  gated(updateRegisterEntry)(async () => ({
    recordType: "loans", purposes: "Lending instruments", categories: "Item, dates", legalBasis: "Art. 6(1)(b) GDPR",
    recipients: "Office staff", source: "Own records", retention: `Until returned ${Math.random()}`,
  })),
  // Data-subject requests: registering, the clock's changes, the queue and its look-ups.
  gated(registerRequest)(async () => ({ type: "access", channel: "email", receivedAt: "2026-01-05T10:00", requesterEmail: "matrix@example.org" })),
  gated(confirmRequestIdentity)(async (db) => ({ requestId: await awaitingRequest(db), personId: (await createPerson(db)).id })),
  gated(extendRequest)(async (db) => ({ requestId: await awaitingRequest(db), months: 2, reason: "Many archives" })),
  gated(updateRequest)(async (db) => ({ requestId: await awaitingRequest(db), notes: "Called back" })),
  gated(withdrawRequest)(async (db) => ({ requestId: await awaitingRequest(db) })),
  gated(listRequests)(async () => ({ status: "all" })),
  gated(getRequest)(async (db) => ({ id: await awaitingRequest(db) })),
  gated(searchPeopleForRequest)(async () => ({ query: "alma" })),
  // Webhooks (admin.settings). The test event goes to an endpoint on 127.0.0.1, which the
  // SSRF guard refuses at send time: the delivery fails at once, without a request.
  gated(createWebhookEndpoint)(async () => ({ url: "https://93.184.215.14/hooks/matrix", events: ["task.completed"] })),
  gated(setWebhookEndpointEnabled)(async (db) => ({ id: await webhookEndpointId(db), enabled: false })),
  gated(rotateWebhookSecret)(async (db) => ({ id: await webhookEndpointId(db) })),
  gated(deleteWebhookEndpoint)(async (db) => ({ id: await webhookEndpointId(db) })),
  gated(sendTestWebhook)(async (db) => ({ id: await webhookEndpointId(db) })),
  gated(listWebhookEndpoints)(async () => ({})),
  gated(listWebhookDeliveries)(async () => ({})),
  // Every signed-in account may choose its own language, and only its own.
  gated(setAccountLanguage)(async () => ({ locale: "en" })),
  // Its own name, e-mail and password too (lib/account/profile.test.ts changes them; here a
  // refused input or a wrong current password shows each role is let through to the domain).
  gated(changeAccountName)(async () => ({ firstName: "", lastName: "" })),
  gated(changeAccountEmail)(async () => ({ email: "matrix@example.org", currentPassword: "not-the-password" })),
  gated(changeAccountPassword)(async () => ({ currentPassword: "not-the-password", newPassword: "matrix-new-password", confirmPassword: "matrix-new-password" })),
];

/** Someone eligible under the default settings: left long ago, nothing open. */
function longGonePerson(db: Db) {
  const longAgo = new Date(Date.now() - 3 * 365 * 86_400_000);
  return createPerson(db, { status: "inactive", leavingDate: longAgo.toISOString().slice(0, 10), lastActivityAt: longAgo });
}

async function queuedTask(db: Db, action: "anonymise" | "delete") {
  const person = await createPerson(db);
  return rows<{ id: number }>(await db.execute(sql`
    insert into privacy_tasks (action, subject_person_id, subject_label) values (${action}, ${person.id}, 'A***a') returning id`))[0].id;
}

/** A deletion awaiting a second approval (four-eyes), requested by a data-privacy holder who is no account of the matrix. */
async function awaitingTask(db: Db) {
  const person = await createPerson(db);
  const requester = (await createPrivacyOfficer(db)).account.id;
  return rows<{ id: number }>(await db.execute(sql`
    insert into privacy_tasks (action, status, subject_person_id, subject_label, requested_by_account_id)
    values ('delete', 'awaiting_approval', ${person.id}, 'A***a', ${requester}) returning id`))[0].id;
}

/** An open data-subject request of a new person (lib/requests). */
async function openRequest(db: Db, type: string) {
  const person = await createPerson(db);
  return rows<{ id: number }>(await db.execute(sql`
    insert into privacy_requests (type, status, person_id, channel, received_at, due_at)
    values (${type}, 'open', ${person.id}, 'email', now(), '2099-01-01') returning id`))[0].id;
}

/** A requester's download link (lib/requests/fulfil/download.ts): its token, one that works and one expired. */
async function requestDownload(db: Db, expired: boolean) {
  const token = `${expired ? "E" : "V"}${"x".repeat(42)}`;
  const requestId = await openRequest(db, "access");
  await db.insert(requestDownloads).values({
    requestId, tokenHash: hashDownloadToken(token), fileName: `request-${requestId}.zip`, contentType: "application/zip",
    content: new Uint8Array([0x50, 0x4b, 5, 6]), byteSize: 4, expiresAt: new Date(Date.now() + (expired ? -1 : 7) * 86_400_000),
  });
  return token;
}
const downloadTokens = { valid: await requestDownload(db, false), expired: await requestDownload(db, true) };

/** An open name-mention review item of an anonymisation task (lib/privacy/mentions). */
async function openMention(db: Db) {
  const taskId = await queuedTask(db, "anonymise");
  return rows<{ id: number }>(await db.execute(sql`
    insert into name_mentions (task_id, record_table, record_id, field, start, length, salt, hash)
    values (${taskId}, 'messages', 1, 'body', 0, 5, 'salt', 'hash') returning id`))[0].id;
}

/** A request registered by name and e-mail address, awaiting identity (lib/requests/requests.ts). */
async function awaitingRequest(db: Db) {
  return rows<{ id: number }>(await db.execute(sql`
    insert into privacy_requests (type, status, requester_email, channel, received_at, due_at)
    values ('access', 'awaiting_identity', 'someone@example.org', 'email', now(), current_date + 30) returning id`))[0].id;
}
const matrixRequestId = await awaitingRequest(db);

/** A webhook endpoint written directly (its URL is one the SSRF guard refuses at send time). */
async function webhookEndpointId(db: Db) {
  return rows<{ id: number }>(await db.execute(sql`
    insert into webhook_endpoints (url, events, secret_encrypted, secret_prefix)
    values ('https://127.0.0.1:1/hooks/matrix', '{task.completed}', ${encryptWebhookSecret(generateWebhookSecret())}, 'whsec_matr') returning id`))[0].id;
}

async function ruleId(db: Db) {
  return rows<{ id: number }>(await db.execute(sql`
    insert into retention_rules (name, object, conditions, action, schedule)
    values ('Matrix rule', 'ticket', '{"closedOlderThanDays": 400}', 'anonymise', '{"kind": "daily", "hour": 3}') returning id`))[0].id;
}

/** The invoices' retention obligation, made afresh for each call. */
async function obligationId(db: Db) {
  await db.execute(sql`delete from retention_obligations`);
  return rows<{ id: number }>(await db.execute(sql`
    insert into retention_obligations (record_type, period_years, counted_from, from_end_of_year, law)
    values ('invoices', 10, 'issued_on', true, '§147 AO') returning id`))[0].id;
}

async function roleId(db: Db, name: string) {
  return rows<{ id: number }>(await db.execute(sql`select id from roles where name = ${name}`))[0].id;
}

async function auditCount(db: Db) {
  return rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from audit_entries`))[0].n;
}

it("covers every operation and query defined in lib/ and app/ (those of route files through the routes below)", async () => {
  const { readFile, readdir } = await import("node:fs/promises");
  const defined = new Set<string>();
  for (const dir of ["lib", "app"]) {
    const files = (await readdir(dir, { recursive: true })).filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts") && !f.endsWith("route.ts"));
    for (const file of files) {
      for (const m of (await readFile(`${dir}/${file}`, "utf8")).matchAll(/define(?:Operation|Query)\(\{[^}]*?\bname:\s*"(\w+)"/g)) defined.add(m[1]);
    }
  }
  expect([...defined].filter((name) => !CASES.some((c) => c.name === name))).toEqual([]);
});

describe.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
  it("refuses a caller without a session", async () => {
    expect(await c.run(null, await c.input(db))).toMatchObject({ ok: false, code: "unauthorized" });
  });

  it.each(ROLE_NAMES.map((r) => [r]))("as %s", async (role: RoleName) => {
    const prepared = await c.input(db);
    const before = await auditCount(db);
    const result = await c.run(accounts[role].account.id, prepared);
    if (holds(role, c.permission)) {
      expect(result.ok ? "ok" : result.code).not.toMatch(/forbidden|unauthorized/);
    } else {
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      expect(await auditCount(db)).toBe(before);
    }
  });
});

// ---------------------------------------------------------------- route handlers

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Handler = (request: NextRequest, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;
// The API's handlers answer through test/api.ts, which checks each answer against the OpenAPI document.
const ROUTE_FILES = validatedRouteFiles(import.meta.glob<Partial<Record<Method, Handler>>>("/app/**/route.ts", { eager: true }));

/** Who calls: a role (with both its API token and a signed-in session), nobody, or a role holding only the credential the route does not take. */
type Caller = RoleName | "anonymous" | "Admin, other credential";
const CALLERS: Caller[] = [...ROLE_NAMES, "anonymous", "Admin, other credential"];
type Arranged = { personId: number; email: string; ticketId: number; ticketNumber: number; anonymiseTaskId: number; deleteTaskId: number; awaitingTaskId: number; webhookId: number };
type Answer = { status: number; headers: Headers; text: string };

type RouteCase = {
  file: string;
  method: Method;
  /** The test's name. */
  name: string;
  url: (x: Arranged) => string;
  params?: (x: Arranged) => Record<string, string>;
  /** "download link": public, the token in the path is the credential; every caller gets the same answer. */
  credential: "token" | "session" | "token or session" | "cron secret" | "auth.js session" | "download link";
  /** Roles let in; the rest get 403 (401 without the route's credential). */
  may: (role: RoleName) => boolean;
  init?: (x: Arranged) => { method: Method; body: string; headers: Record<string, string> };
  /** The whole answer a permitted caller gets. */
  expectAnswer: (answer: Answer, x: Arranged, role: RoleName) => Promise<void> | void;
};

const json = (value: unknown) => JSON.parse(JSON.stringify(value));
const granted = (permission: Permission) => (role: RoleName) => holds(role, permission);
const taskReader = (role: RoleName) => holds(role, listPrivacyTasks.permission);
/** Administrators of data privacy and auditors read every task; the rest of the readers, anonymisations only. */
const readsEveryTask = (role: RoleName) => holds(role, "admin.data_privacy") || holds(role, "privacy.audit");
const nobody = () => false;

async function personJson(id: number) {
  const [person] = await db.select().from(people).where(eq(people.id, id));
  const eligibility = await runOperation(getPersonWithEligibility, { db, accountId: accounts.Agent.account.id, input: { id } });
  if (!eligibility.ok) throw new Error(eligibility.message);
  return json({
    data: {
      id: person.id, externalId: person.externalId, firstName: person.firstName, lastName: person.lastName, email: person.email,
      phone: person.phone, address: person.address, dateOfBirth: person.dateOfBirth, customFields: person.customFields, kind: person.kind,
      status: person.status, imported: person.imported, system: person.system, organisation: null, leavingDate: person.leavingDate,
      lastActivityAt: person.lastActivityAt, markedForDeletionAt: person.markedForDeletionAt, anonymisedAt: person.anonymisedAt,
      prevention: null, eligibility: eligibility.data.eligibility,
    },
  });
}

async function taskAnswer(id: number, role: RoleName) {
  const result = await runOperation(getPrivacyTask, { db, accountId: accounts[role].account.id, input: { id } });
  if (!result.ok) throw new Error(result.message);
  return json({ data: taskJson(result.data) });
}

/** A request as GET /api/v1/requests/{id} answers it. */
async function requestAnswer(id: number) {
  const result = await runOperation(getRequest, { db, accountId: accounts.Admin.account.id, input: { id } });
  if (!result.ok) throw new Error(result.message);
  return json({ data: requestDetailJson(result.data) });
}

const ROUTES: RouteCase[] = [
  // First, while nothing is queued yet: the call runs the cron's steps.
  { file: "/app/api/cron/route.ts", method: "GET", name: "/api/cron", url: () => "/api/cron", credential: "cron secret", may: nobody, expectAnswer: () => {} },
  { file: "/app/api/cron/route.ts", method: "POST", name: "/api/cron", url: () => "/api/cron", credential: "cron secret", may: nobody, expectAnswer: () => {} },
  // The API's document: any active account, by its token or by its session (the other credential is the session here).
  {
    file: "/app/api/v1/openapi.json/route.ts", method: "GET", name: "/api/v1/openapi.json", url: () => "/api/v1/openapi.json", credential: "token or session",
    may: () => true,
    expectAnswer: ({ status, headers, text }) => {
      expect(status).toBe(200);
      expect(headers.get("cache-control")).toBe("private, no-store");
      expect(JSON.parse(text)).toEqual(json(apiDocument()));
    },
  },
  {
    file: "/app/api/v1/people/route.ts", method: "GET", name: "/api/v1/people?query=…", url: (x) => `/api/v1/people?query=${encodeURIComponent(x.email)}`, credential: "token",
    may: granted("people.read"),
    expectAnswer: async ({ status, text }, x) => {
      expect(status).toBe(200);
      const search = await runOperation(searchPeople, { db, accountId: accounts.Agent.account.id, input: { query: x.email } });
      if (!search.ok) throw new Error(search.message);
      expect(search.data.rows.map((p) => p.id)).toEqual([x.personId]);
      expect(JSON.parse(text)).toEqual(json({ data: search.data.rows, page: 1, pageSize: search.data.pageSize, total: 1 }));
    },
  },
  {
    file: "/app/api/v1/people/route.ts", method: "GET", name: "/api/v1/people?eligible=true", url: () => "/api/v1/people?eligible=true", credential: "token", may: granted("people.read"),
    expectAnswer: ({ status, text }) => {
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: expect.any(Array), page: 1, pageSize: 25, total: expect.any(Number) });
    },
  },
  {
    file: "/app/api/v1/people/[id]/route.ts", method: "GET", name: "/api/v1/people/{id}", url: (x) => `/api/v1/people/${x.personId}`, params: (x) => ({ id: String(x.personId) }), credential: "token", may: granted("people.read"),
    expectAnswer: async ({ status, text }, x) => {
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual(await personJson(x.personId));
    },
  },
  {
    file: "/app/api/v1/people/[id]/route.ts", method: "PATCH", name: "PATCH /api/v1/people/{id}", url: (x) => `/api/v1/people/${x.personId}`, params: (x) => ({ id: String(x.personId) }),
    credential: "token", may: granted("people.edit"),
    init: () => ({ method: "PATCH", body: JSON.stringify({ phone: "+49 30 1234567" }), headers: { "Content-Type": "application/json" } }),
    expectAnswer: async ({ status, text }, x) => {
      expect(status).toBe(200);
      const body = JSON.parse(text);
      expect(body.data.phone).toBe("+49 30 1234567");
      expect(body).toEqual(await personJson(x.personId));
    },
  },
  {
    file: "/app/api/v1/people/[id]/export/route.ts", method: "GET", name: "/api/v1/people/{id}/export",
    url: (x) => `/api/v1/people/${x.personId}/export`, params: (x) => ({ id: String(x.personId) }), credential: "token",
    may: granted("people.export"),
    expectAnswer: async ({ status, headers, text }, x) => {
      expect(status).toBe(200);
      expect(headers.get("cache-control")).toBe("no-store");
      const expected = json({ data: await buildPersonExport(db, { id: x.personId }) });
      expect(JSON.parse(text)).toEqual({ data: { ...expected.data, exportedAt: expect.any(String) } });
      expect(text).toContain(x.email);
    },
  },
  {
    file: "/app/api/v1/privacy-tasks/route.ts", method: "GET", name: "/api/v1/privacy-tasks", url: () => "/api/v1/privacy-tasks", credential: "token", may: taskReader,
    expectAnswer: ({ status, text }, x, role) => {
      expect(status).toBe(200);
      const body = JSON.parse(text);
      expect(body).toEqual({ data: expect.any(Array), page: 1, pageSize: expect.any(Number), total: expect.any(Number) });
      const ids = body.data.map((t: { id: number }) => t.id);
      expect(ids).toContain(x.anonymiseTaskId);
      // A reader with R_CAN_ANONYMIZE_USERS only sees no deletion task.
      if (readsEveryTask(role)) expect(ids).toContain(x.deleteTaskId);
      else expect(body.data.filter((t: { action: string }) => t.action !== "anonymise")).toEqual([]);
    },
  },
  {
    file: "/app/api/v1/privacy-tasks/route.ts", method: "POST", name: "/api/v1/privacy-tasks (anonymise)", url: () => "/api/v1/privacy-tasks", credential: "token",
    may: granted("R_CAN_ANONYMIZE_USERS"),
    init: (x) => ({ method: "POST", body: JSON.stringify({ personId: x.personId, action: "anonymise" }), headers: { "Content-Type": "application/json" } }),
    expectAnswer: async ({ status, text }, x, role) => {
      expect(status).toBe(202);
      const body = JSON.parse(text);
      expect(body.data).toMatchObject({ action: "anonymise", status: "queued", origin: "api", subject: { personId: x.personId } });
      expect(body).toEqual(await taskAnswer(body.data.id, role));
    },
  },
  {
    file: "/app/api/v1/privacy-tasks/route.ts", method: "POST", name: "/api/v1/privacy-tasks (delete)", url: () => "/api/v1/privacy-tasks", credential: "token",
    may: granted("admin.data_privacy"),
    init: (x) => ({ method: "POST", body: JSON.stringify({ personId: x.personId, action: "delete" }), headers: { "Content-Type": "application/json" } }),
    expectAnswer: async ({ status, text }, x, role) => {
      expect(status).toBe(202);
      const body = JSON.parse(text);
      expect(body.data).toMatchObject({ action: "delete", status: "queued", origin: "api", subject: { personId: x.personId } });
      expect(body).toEqual(await taskAnswer(body.data.id, role));
    },
  },
  {
    file: "/app/api/v1/privacy-tasks/[id]/route.ts", method: "GET", name: "/api/v1/privacy-tasks/{id} (anonymisation)",
    url: (x) => `/api/v1/privacy-tasks/${x.anonymiseTaskId}`, params: (x) => ({ id: String(x.anonymiseTaskId) }), credential: "token",
    may: taskReader,
    expectAnswer: async ({ status, text }, x, role) => {
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual(await taskAnswer(x.anonymiseTaskId, role));
    },
  },
  {
    file: "/app/api/v1/privacy-tasks/[id]/route.ts", method: "GET", name: "/api/v1/privacy-tasks/{id} (deletion)",
    url: (x) => `/api/v1/privacy-tasks/${x.deleteTaskId}`, params: (x) => ({ id: String(x.deleteTaskId) }), credential: "token",
    may: taskReader,
    expectAnswer: async ({ status, text }, x, role) => {
      if (readsEveryTask(role)) {
        expect(status).toBe(200);
        expect(JSON.parse(text)).toEqual(await taskAnswer(x.deleteTaskId, role));
      } else {
        // Not even that it exists: a deletion task is not found for an anonymisation-only reader.
        expect(status).toBe(404);
        expect(JSON.parse(text)).toEqual({ error: { code: "not_found", message: expect.any(String) } });
        expect(text).not.toContain(String(x.personId));
      }
    },
  },
  {
    file: "/app/api/v1/privacy-tasks/[id]/approve/route.ts", method: "POST", name: "/api/v1/privacy-tasks/{id}/approve",
    url: (x) => `/api/v1/privacy-tasks/${x.awaitingTaskId}/approve`, params: (x) => ({ id: String(x.awaitingTaskId) }), credential: "token",
    may: granted("admin.data_privacy"),
    init: () => ({ method: "POST", body: "", headers: {} }),
    expectAnswer: async ({ status, text }, x, role) => {
      expect(status).toBe(200);
      const body = JSON.parse(text);
      expect(body.data).toMatchObject({ id: x.awaitingTaskId, action: "delete", status: "queued", approvedByAccountId: accounts[role].account.id, approvedAt: expect.any(String) });
      expect(body).toEqual(await taskAnswer(x.awaitingTaskId, role));
    },
  },
  {
    file: "/app/(public)/request/download/[token]/route.ts", method: "GET", name: "/request/download/{token} (valid)",
    url: () => `/request/download/${downloadTokens.valid}`, params: () => ({ token: downloadTokens.valid }), credential: "download link", may: () => true,
    expectAnswer: ({ status, headers, text }) => {
      expect(status).toBe(200);
      expect(headers.get("content-disposition")).toMatch(/^attachment; filename="request-\d+\.zip"$/);
      expect(headers.get("cache-control")).toBe("no-store");
      expect(text).toBe("PK\u0005\u0006");
    },
  },
  {
    file: "/app/(public)/request/download/[token]/route.ts", method: "GET", name: "/request/download/{token} (expired)",
    url: () => `/request/download/${downloadTokens.expired}`, params: () => ({ token: downloadTokens.expired }), credential: "download link", may: () => true,
    expectAnswer: ({ status, headers, text }) => {
      expect(status).toBe(410);
      expect(headers.get("content-disposition")).toBeNull();
      expect(text).toBe("This download link has expired. Please contact us if you still need a copy of your data.");
    },
  },
  {
    file: "/app/(public)/request/download/[token]/route.ts", method: "GET", name: "/request/download/{token} (unknown)",
    url: () => `/request/download/${"U".repeat(43)}`, params: () => ({ token: "U".repeat(43) }), credential: "download link", may: () => true,
    expectAnswer: ({ status, headers, text }) => {
      expect(status).toBe(404);
      expect(headers.get("content-disposition")).toBeNull();
      expect(text).toBe("This download link does not exist or no longer works.");
    },
  },
  {
    file: "/app/(app)/people/[id]/export/route.ts", method: "GET", name: "/people/{id}/export (download)",
    url: (x) => `/people/${x.personId}/export?format=zip`, params: (x) => ({ id: String(x.personId) }), credential: "session",
    may: granted("people.export"),
    expectAnswer: ({ status, headers, text }, x) => {
      expect(status).toBe(200);
      expect(headers.get("content-type")).toBe("application/zip");
      expect(headers.get("content-disposition")).toBe(`attachment; filename="person-${x.personId}.zip"`);
      expect(text.startsWith("PK")).toBe(true);
    },
  },
  {
    file: "/app/(app)/people/[id]/export/reviewed/route.ts", method: "POST", name: "/people/{id}/export/reviewed (download after the preview)",
    url: (x) => `/people/${x.personId}/export/reviewed`, params: (x) => ({ id: String(x.personId) }), credential: "session",
    may: granted("people.export"),
    init: (x) => ({
      method: "POST", body: JSON.stringify({ format: "zip", withhold: [{ section: "tickets", id: x.ticketId, reason: "Reveals a third party" }] }),
      headers: { "Content-Type": "application/json" },
    }),
    expectAnswer: ({ status, headers, text }, x) => {
      expect(status).toBe(200);
      expect(headers.get("content-type")).toBe("application/zip");
      expect(headers.get("content-disposition")).toBe(`attachment; filename="person-${x.personId}.zip"`);
      expect(text.startsWith("PK")).toBe(true);
    },
  },
  {
    file: "/app/(app)/tickets/export/route.ts", method: "GET", name: "/tickets/export (download)", url: (x) => `/tickets/export?ids=${x.ticketId}&format=csv`, credential: "session",
    may: granted("people.export"),
    expectAnswer: ({ status, headers, text }, x) => {
      expect(status).toBe(200);
      expect(headers.get("content-disposition")).toBe('attachment; filename="tickets.csv"');
      const lines = text.trim().split(/\r?\n/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(x.email);
    },
  },
  {
    file: "/app/(app)/privacy/audit/export/route.ts", method: "GET", name: "/privacy/audit/export (download)", url: () => "/privacy/audit/export?action=audit.exported&format=csv", credential: "session",
    may: granted("privacy.audit"),
    expectAnswer: ({ status, headers, text }) => {
      expect(status).toBe(200);
      expect(headers.get("content-disposition")).toBe('attachment; filename="audit-log.csv"');
      const lines = text.trim().split(/\r?\n/);
      expect(lines[0]).toBe("Entry,Time,Actor,Action,Action name,Object,Object id,Label,Reason or reference,Outcome,Details,Previous hash,Hash");
      // The export's own entry, written before the file: only exports, newest first.
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines.slice(1)) expect(line).toMatch(/^\d+,[^,]*,[^,]+,Audit log exported,audit\.exported,Audit log,,,,Done,"\{.*\}",[0-9a-f]{64},[0-9a-f]{64}$/);
    },
  },
  {
    file: "/app/api/v1/requests/route.ts", method: "GET", name: "/api/v1/requests", url: () => `/api/v1/requests?status=all&query=%23${matrixRequestId}`, credential: "token",
    may: granted("privacy.requests"),
    expectAnswer: async ({ status, text }) => {
      expect(status).toBe(200);
      const { timeline: _timeline, ...listed } = (await requestAnswer(matrixRequestId)).data;
      expect(JSON.parse(text)).toEqual({ data: [listed], page: 1, pageSize: 25, total: 1 });
    },
  },
  {
    file: "/app/api/v1/requests/route.ts", method: "POST", name: "/api/v1/requests", url: () => "/api/v1/requests", credential: "token", may: granted("privacy.requests"),
    init: (x) => ({
      method: "POST", body: JSON.stringify({ type: "access", channel: "letter", receivedAt: "2026-01-31T10:00:00+01:00", personId: x.personId }),
      headers: { "Content-Type": "application/json" },
    }),
    expectAnswer: async ({ status, text }, x) => {
      expect(status).toBe(201);
      const body = JSON.parse(text);
      expect(body.data).toMatchObject({ type: "access", status: "open", personId: x.personId, dueAt: "2026-02-28", channel: "letter", source: "api" });
      const { timeline: _timeline, ...created } = (await requestAnswer(body.data.id)).data;
      expect(body).toEqual({ data: created });
    },
  },
  {
    file: "/app/api/v1/requests/[id]/route.ts", method: "GET", name: "/api/v1/requests/{id}", url: () => `/api/v1/requests/${matrixRequestId}`,
    params: () => ({ id: String(matrixRequestId) }), credential: "token", may: granted("privacy.requests"),
    expectAnswer: async ({ status, text }) => {
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual(await requestAnswer(matrixRequestId));
    },
  },
  {
    file: "/app/api/v1/requests/[id]/route.ts", method: "PATCH", name: "/api/v1/requests/{id}", url: () => `/api/v1/requests/${matrixRequestId}`,
    params: () => ({ id: String(matrixRequestId) }), credential: "token", may: granted("privacy.requests"),
    init: () => ({ method: "PATCH", body: JSON.stringify({ notes: "Matrix note" }), headers: { "Content-Type": "application/json" } }),
    expectAnswer: async ({ status, text }) => {
      expect(status).toBe(200);
      const body = JSON.parse(text);
      expect(body.data.notes).toBe("Matrix note");
      expect(body).toEqual(await requestAnswer(matrixRequestId));
    },
  },
  // Ticket deletion (admin.data_privacy): the arranged ticket goes, and the answer names it.
  {
    file: "/app/api/v1/tickets/[id]/route.ts", method: "DELETE", name: "DELETE /api/v1/tickets/{id}", url: (x) => `/api/v1/tickets/${x.ticketId}`,
    params: (x) => ({ id: String(x.ticketId) }), credential: "token", may: granted("admin.data_privacy"),
    init: () => ({ method: "DELETE", body: "", headers: {} }),
    expectAnswer: async ({ status, text }, x) => {
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: { tickets: 1, messages: 0, nameMentions: 0, ticketNumbers: [x.ticketNumber] } });
      expect(rows(await db.execute(sql`select 1 from tickets where id = ${x.ticketId}`))).toEqual([]);
    },
  },
  {
    file: "/app/api/v1/tickets/deletions/route.ts", method: "POST", name: "/api/v1/tickets/deletions", url: () => "/api/v1/tickets/deletions", credential: "token",
    may: granted("admin.data_privacy"),
    init: (x) => ({ method: "POST", body: JSON.stringify({ ticketIds: [x.ticketId, x.ticketId] }), headers: { "Content-Type": "application/json" } }),
    expectAnswer: async ({ status, text }, x) => {
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: { tickets: 1, messages: 0, nameMentions: 0, ticketNumbers: [x.ticketNumber] } });
      expect(rows(await db.execute(sql`select 1 from tickets where id = ${x.ticketId}`))).toEqual([]);
    },
  },
  // Webhooks (admin.settings): the arranged endpoint is on 127.0.0.1, which the SSRF guard
  // refuses at send time, so the test event fails at once and says why.
  {
    file: "/app/api/v1/webhooks/route.ts", method: "GET", name: "/api/v1/webhooks", url: () => "/api/v1/webhooks", credential: "token", may: granted("admin.settings"),
    expectAnswer: async ({ status, text }, x) => {
      expect(status).toBe(200);
      const listed = await runOperation(listWebhookEndpoints, { db, accountId: accounts.Admin.account.id, input: {} });
      if (!listed.ok) throw new Error(listed.message);
      expect(JSON.parse(text)).toEqual(json({ data: listed.data }));
      expect(JSON.parse(text).data.map((e: { id: number }) => e.id)).toContain(x.webhookId);
      expect(text).not.toMatch(/whsec_[\w-]{20}/);
    },
  },
  {
    file: "/app/api/v1/webhooks/route.ts", method: "POST", name: "/api/v1/webhooks", url: () => "/api/v1/webhooks", credential: "token", may: granted("admin.settings"),
    init: () => ({ method: "POST", body: JSON.stringify({ url: "https://93.184.215.14/hooks/matrix", events: ["task.completed"] }), headers: { "Content-Type": "application/json" } }),
    expectAnswer: async ({ status, text }) => {
      expect(status).toBe(201);
      const body = JSON.parse(text);
      const listed = await runOperation(listWebhookEndpoints, { db, accountId: accounts.Admin.account.id, input: {} });
      if (!listed.ok) throw new Error(listed.message);
      const { lastDelivery: _, ...row } = json(listed.data.find((e) => e.id === body.data.id));
      expect(body).toEqual({ data: { ...row, url: "https://93.184.215.14/hooks/matrix", secret: expect.stringMatching(/^whsec_[\w-]{43}$/) } });
    },
  },
  {
    file: "/app/api/v1/webhooks/[id]/route.ts", method: "DELETE", name: "DELETE /api/v1/webhooks/{id}", url: (x) => `/api/v1/webhooks/${x.webhookId}`,
    params: (x) => ({ id: String(x.webhookId) }), credential: "token", may: granted("admin.settings"),
    init: () => ({ method: "DELETE", body: "", headers: {} }),
    expectAnswer: async ({ status, text }, x) => {
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: { id: x.webhookId, deliveries: 0 } });
      expect(rows(await db.execute(sql`select 1 from webhook_endpoints where id = ${x.webhookId}`))).toEqual([]);
    },
  },
  {
    file: "/app/api/v1/webhooks/[id]/test/route.ts", method: "POST", name: "/api/v1/webhooks/{id}/test", url: (x) => `/api/v1/webhooks/${x.webhookId}/test`,
    params: (x) => ({ id: String(x.webhookId) }), credential: "token", may: granted("admin.settings"),
    init: () => ({ method: "POST", body: "", headers: {} }),
    expectAnswer: ({ status, text }) => {
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: {
        deliveryId: expect.any(Number), status: "failed", statusCode: null, error: "A webhook may not be sent to 127.0.0.1, a loopback address.", durationMs: 0,
      } });
    },
  },
  // Auth.js: whatever else a caller holds, without its session cookie there is no session.
  {
    file: "/app/api/auth/[...nextauth]/route.ts", method: "GET", name: "/api/auth/session", url: () => "/api/auth/session", credential: "auth.js session", may: nobody,
    expectAnswer: () => {},
  },
  {
    file: "/app/api/auth/[...nextauth]/route.ts", method: "POST", name: "/api/auth/signout", url: () => "/api/auth/signout", credential: "auth.js session", may: nobody,
    init: () => ({ method: "POST", body: "", headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    expectAnswer: () => {},
  },
];

const BASE = "http://lethe.test";

async function arrange(): Promise<Arranged> {
  const person = await createPerson(db);
  const ticket = await createTicket(db, { customerId: person.id, title: `Question from ${person.email}` });
  return {
    personId: person.id, email: person.email!, ticketId: ticket.id, ticketNumber: ticket.number,
    anonymiseTaskId: await queuedTask(db, "anonymise"), deleteTaskId: await queuedTask(db, "delete"), awaitingTaskId: await awaitingTask(db),
    webhookId: await webhookEndpointId(db),
  };
}

/** Calls the route as `caller`: the session is set for the session routes, the token sent to the API routes. */
async function call(route: RouteCase, caller: Caller, x: Arranged): Promise<Answer> {
  const role: RoleName | null = caller === "anonymous" ? null : caller === "Admin, other credential" ? "Admin" : caller;
  const onlyOther = caller === "Admin, other credential";
  const sendsToken = role != null && (route.credential === "session" ? onlyOther : !onlyOther);
  session.accountId = role != null && (route.credential === "session" ? !onlyOther : onlyOther) ? accounts[role].account.id : null;
  const { method, body, headers } = route.init?.(x) ?? {};
  const request = new NextRequest(`${BASE}${route.url(x)}`, {
    method, body, headers: { ...(sendsToken ? { Authorization: `Bearer ${tokens[role!]}` } : {}), ...headers },
  });
  try {
    const response = await ROUTE_FILES[route.file][route.method]!(request, { params: Promise.resolve(route.params?.(x) ?? {}) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } finally {
    session.accountId = null;
  }
}

const REFUSED: Record<RouteCase["credential"], { unauthorized: string; forbidden?: string }> = {
  token: { unauthorized: "A valid API token is required: Authorization: Bearer <token>.", forbidden: "You do not have permission to do this." },
  session: { unauthorized: "Sign in to continue.", forbidden: "You do not have permission to do this." },
  "token or session": { unauthorized: "Sign in, or send an API token: Authorization: Bearer <token>." },
  "cron secret": { unauthorized: "" },
  "auth.js session": { unauthorized: "" },
  "download link": { unauthorized: "" },
};

function expectRefused(route: RouteCase, caller: Caller, answer: Answer, x: Arranged) {
  const role = caller === "anonymous" || caller === "Admin, other credential" ? null : caller;
  expect(answer.headers.get("content-disposition")).toBeNull();
  expect(answer.text).not.toContain(x.email);
  if (route.credential === "cron secret") {
    // A role's token is not the secret: the cron route knows no roles.
    const message = role == null ? "Missing bearer token: send Authorization: Bearer <CRON_SECRET>." : "Invalid cron secret.";
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text)).toEqual({ error: { code: "unauthorized", message } });
    return;
  }
  if (route.credential === "auth.js session") {
    if (route.method === "GET") {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toBeNull();
    } else {
      // Signing out without the form's CSRF token is refused; no cookie is handed out.
      expect(answer.status).toBe(302);
      expect(answer.headers.get("location")).toMatch(/error=MissingCSRF/);
      expect(answer.text).toBe("");
      expect(answer.headers.get("set-cookie") ?? "").not.toMatch(/session-token=[^;]/);
    }
    return;
  }
  if (role == null) {
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text)).toEqual({ error: { code: "unauthorized", message: REFUSED[route.credential].unauthorized } });
  } else {
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text)).toEqual({ error: { code: "forbidden", message: REFUSED[route.credential].forbidden } });
  }
}

it("covers every method every route file exports", () => {
  expect(Object.keys(ROUTE_FILES).sort()).toEqual([...new Set(ROUTES.map((r) => r.file))].sort());
  for (const [file, module] of Object.entries(ROUTE_FILES)) {
    const handled = ROUTES.filter((r) => r.file === file).map((r) => r.method);
    const exported = METHODS.filter((m) => typeof module[m] === "function");
    // Every exported method is either a case above or answers 405 (checked below).
    expect(handled.every((m) => exported.includes(m)), file).toBe(true);
  }
});

describe("route handlers × callers", () => {
  describe.each(ROUTES.map((r) => [`${r.method} ${r.name}`, r] as const))("%s", (_name, route) => {
    it.each(CALLERS.map((c) => [c]))("as %s", async (caller: Caller) => {
      const x = await arrange();
      const before = await auditCount(db);
      const answer = await call(route, caller, x);
      const role = ROLE_NAMES.find((r) => r === caller);
      const bySession = route.credential === "token or session" && caller === "Admin, other credential";
      if ((role && route.may(role)) || route.credential === "download link" || bySession) {
        await route.expectAnswer(answer, x, role ?? "Admin");
        return;
      }
      expectRefused(route, caller, answer, x);
      expect(await auditCount(db)).toBe(before);
    });
  });
});

describe("methods a route does not support: 405 for every caller, nothing else", () => {
  const unsupported = Object.entries(ROUTE_FILES).flatMap(([file, module]) => {
    const handled = [...new Set(ROUTES.filter((r) => r.file === file).map((r) => r.method))];
    const allow = [...handled, ...(handled.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
    return METHODS.filter((m) => typeof module[m] === "function" && !handled.includes(m)).map((method) => ({ file, method, allow }));
  });

  it.each(unsupported.map((u) => [`${u.method} ${u.file}`, u] as const))("%s", async (_name, { file, method, allow }) => {
    for (const caller of CALLERS) {
      const role = caller === "anonymous" ? null : caller === "Admin, other credential" ? "Admin" : caller;
      session.accountId = role ? accounts[role].account.id : null;
      const request = new NextRequest(`${BASE}/somewhere`, { method, headers: role ? { Authorization: `Bearer ${tokens[role]}` } : {} });
      const response = await ROUTE_FILES[file][method]!(request, { params: Promise.resolve({ id: "1" }) });
      session.accountId = null;
      expect(response.status, caller).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
      expect(await response.json()).toEqual({ error: { code: "method_not_allowed", message: `${method} is not allowed here. Allowed: ${allow}.` } });
    }
  });
});

// ---------------------------------------------------------------- public server actions

// The data subjects' form (/request) needs no session: its actions are the only server
// actions open to anyone, each answering every caller alike (app/(public)/request/actions.test.ts
// calls them as every role and as nobody). A new action there fails this until it is reviewed.
it("the public request form exports only its two actions open to anyone", async () => {
  const publicActions = await import("@/app/(public)/request/actions");
  expect(Object.keys(publicActions).sort()).toEqual(["confirmRequestAction", "submitRequestAction"]);
});
