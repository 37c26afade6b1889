import { decideNameMention, decideTaskMentions } from "@/lib/privacy/mentions/review";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import { rows } from "@/db/client";
import { setAccountLanguage } from "@/lib/account/language";
import { createRole, deleteRole, setAccountRoles, updateRole } from "@/lib/admin/roles";
import { createApiToken, revokeApiToken } from "@/lib/admin/tokens";
import { ERROR_STATUS, type Result } from "@/lib/errors";
import { type Operation, runOperation } from "@/lib/operation";
import { exportPerson } from "@/lib/people/export";
import { updateRegisterEntry } from "@/lib/register/register";
import {
  createRetentionObligation, deleteRetentionObligation, listKeptRecords, listRetentionObligations, updateRetentionObligation,
} from "@/lib/obligations/obligations";
import { getPersonWithEligibility } from "@/lib/people/profile";
import { searchPeople } from "@/lib/people/search";
import { rectifyPerson } from "@/lib/people/rectify";
import { liftPrevention, preventAnonymisation, preventFromReview } from "@/lib/privacy/prevention/prevention";
import { updatePrivacySettings } from "@/lib/privacy/settings/settings";
import { previewDeletion, searchPeopleForDeletion } from "@/lib/privacy/deletion/preview";
import { dryRunBulkAnonymisation } from "@/lib/privacy/tasks/bulk-selection";
import { getPrivacyTask, listPrivacyTasks } from "@/lib/privacy/tasks/queries";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { approvePrivacyTask } from "@/lib/privacy/deletion/four-eyes";
import { changeAccountEmail, changeAccountName, changeAccountPassword } from "@/lib/account/profile";
import {
  cancelAnonymisationTasks, cancelPrivacyTask, createAnonymisationTask, createBulkAnonymisation, retryPrivacyTask,
} from "@/lib/privacy/tasks/tasks";
import { anonymiseTickets } from "@/lib/privacy/anonymise/anonymise-tickets";
import { createRetentionRule, deleteRetentionRule, dryRunDefinition, dryRunSavedRule, updateRetentionRule } from "@/lib/schedule/rules";
import { exportTickets } from "@/lib/tickets/export";
import { deleteTickets } from "@/lib/tickets/deletion/delete-tickets";
import { previewTicketAnonymisation, previewTicketDeletion } from "@/lib/tickets/deletion/preview";
import { exportAuditEntries, listAuditEntries, verifyAuditLog } from "@/lib/audit/queries";
import { confirmRequestIdentity, extendRequest, registerRequest, updateRequest, withdrawRequest } from "@/lib/requests/requests";
import { getRequest, listRequests, searchPeopleForRequest } from "@/lib/requests/queries";
import { fulfilRequest, refuseRequest } from "@/lib/requests/fulfil/fulfil";
import { getRequestFulfilment } from "@/lib/requests/fulfil/queries";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, sendTestWebhook, setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";
import { listWebhookDeliveries, listWebhookEndpoints } from "@/lib/webhooks/queries";
import { apiRoute } from "./api";
import { useTestDatabase } from "./db";
import { createPerson, createTicket } from "./fixtures";
import { arrangeRoles } from "./roles";
import { session } from "./session-stub";

// Malformed input from an attacker or a broken client, sent to every route handler and
// every operation behind a server action: each answer is a 4xx in the contract's shape
// ({ error: { code, message, issues? } }, issues naming the field), never a 500, and
// nothing in the database changes.

vi.mock("@/lib/auth/session", () => import("./session-stub"));

const { GET: searchPeopleRoute, ...peopleOther } = apiRoute("/api/v1/people");
const { GET: getPersonRoute, PATCH: patchPersonRoute, ...personOther } = apiRoute("/api/v1/people/{id}");
const { GET: exportPersonApi, ...exportApiOther } = apiRoute("/api/v1/people/{id}/export");
const { GET: listTasksRoute, POST: createTaskRoute, ...tasksOther } = apiRoute("/api/v1/privacy-tasks");
const { GET: getTaskRoute, ...taskOther } = apiRoute("/api/v1/privacy-tasks/{id}");
const { POST: approveTaskRoute, ...approveOther } = apiRoute("/api/v1/privacy-tasks/{id}/approve");
const { GET: exportPersonDownload, ...exportDownloadOther } = await import("@/app/(app)/people/[id]/export/route");
const { GET: exportTicketsDownload, ...exportTicketsOther } = await import("@/app/(app)/tickets/export/route");
const { GET: exportAuditDownload, ...exportAuditOther } = await import("@/app/(app)/privacy/audit/export/route");
const { GET: _cronGet, POST: _cronPost, ...cronOther } = apiRoute("/api/cron");
const { DELETE: deleteTicketRoute, ...ticketOther } = apiRoute("/api/v1/tickets/{id}");
const { POST: deleteTicketsRoute, ...ticketDeletionsOther } = apiRoute("/api/v1/tickets/deletions");
const { GET: _listWebhooksRoute, POST: createWebhookRoute, ...webhooksOther } = apiRoute("/api/v1/webhooks");
const { DELETE: deleteWebhookRoute, ...webhookOther } = apiRoute("/api/v1/webhooks/{id}");
const { POST: testWebhookRoute, ...webhookTestOther } = apiRoute("/api/v1/webhooks/{id}/test");

const { db } = await useTestDatabase({ serveApp: true });
let adminId: number;
let token: string;
let personId: number;
let ticketId: number;
const BASE = "http://lethe.test";

beforeAll(async () => {
  const { accounts, tokens } = await arrangeRoles(db);
  adminId = accounts.Admin.account.id;
  token = tokens.Admin;
  personId = (await createPerson(db)).id;
  ticketId = (await createTicket(db, { customerId: personId })).id;
});

/** Every row of every table an operation or route may write (token use times aside). */
async function fingerprint() {
  const tables = [
    "people", "privacy_tasks", "audit_entries", "activity_events", "field_history", "roles", "account_roles", "retention_rules",
    "privacy_settings", "tickets", "messages", "outbox_emails", "retention_obligations", "webhook_endpoints", "webhook_deliveries",
  ];
  const parts = tables.map((t) => sql`(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${sql.raw(t)} x)`);
  const [row] = rows<Record<string, string>>(await db.execute(sql`
    select ${sql.join(parts, sql`, `)}, (select count(*)::text from api_tokens where revoked_at is null) as tokens`));
  return row;
}

// ---------------------------------------------------------------- values

const deep = (n: number): unknown => (n === 0 ? "x" : { a: deep(n - 1) });
const deepArray = (n: number): unknown => (n === 0 ? 1 : [deepArray(n - 1)]);
const MB = "x".repeat(1 << 20);

/** Hostile values as a JSON body or a server action would deliver them. */
const VALUES: Record<string, unknown> = {
  "1 MB of text": MB,
  "a NUL byte": "Alma\u0000Kirsten",
  "a lone surrogate": "Alma\uD800",
  "3000000000": 3_000_000_000,
  "'3000000000'": "3000000000",
  "-1": -1,
  "1e309": Number.POSITIVE_INFINITY,
  "'NaN'": "NaN",
  "an array": [1, 2],
  "an object": { id: 1 },
  "a boolean": true,
  "nested 200 deep": deep(200),
  "an array nested 200 deep": deepArray(200),
};
/** Values a field of that kind may legitimately hold (a reason may say "3000000000"). */
const VALID_FOR: Record<Kind, string[]> = { text: ["'3000000000'", "'NaN'"], bool: ["a boolean"], list: ["an array"], other: [] };
type Kind = "text" | "bool" | "list" | "other";
const valuesFor = (kind: Kind) => Object.entries(VALUES).filter(([name]) => !VALID_FOR[kind].includes(name));

/** Hostile text as a URL delivers it (query parameters and path segments). */
const URL_VALUES: Record<string, string> = {
  "1 MB of text": "x".repeat(1 << 20),
  "a NUL byte": "%00",
  "a lone surrogate": "%ED%A0%80",
  "malformed percent-encoding": "%E0%A4%A",
  "%ZZ": "%ZZ",
  "3000000000": "3000000000",
  "-1": "-1",
  "1e309": "1e309",
  NaN: "NaN",
  "a JSON array": "%5B1%5D",
  "a JSON object": "%7B%7D",
  true: "true",
};

function expectContractError(body: unknown, field?: string) {
  expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  const error = (body as { error: { code: string; issues?: Record<string, string[]> } }).error;
  expect(error.code in ERROR_STATUS).toBe(true);
  if (error.code === "invalid_input") {
    expect(error.issues).toBeTypeOf("object");
    const fields = Object.keys(error.issues ?? {});
    expect(fields.length).toBeGreaterThan(0);
    if (field) expect(fields.some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
  }
}

async function expect4xx(response: Response, field?: string) {
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(response.status, text.slice(0, 300)).toBeLessThan(500);
  expect(response.headers.get("content-type") ?? "").toContain("application/json");
  expectContractError(JSON.parse(text), field);
}

// ---------------------------------------------------------------- operations

/** A field to spoil; its name is one the operation's schema reads. */
type Field<N extends string = string> = { name: N; kind: Kind };
type Case = { name: string; input: () => Record<string, unknown>; fields: Field[]; run: (input: unknown) => Promise<Result<unknown>> };
/** The keys of an input, of each alternative where the schema is a union; any name where it preprocesses the whole input. */
type KeysOf<T> = unknown extends T ? string : T extends unknown ? Extract<keyof T, string> : never;

/**
 * A case typed by the operation's own schema: a valid input, and the fields to spoil one
 * by one (curried, so that the schema is known before the input is read).
 */
const hostile = <S extends z.ZodType, R>(op: Operation<S, R>) =>
  (input: () => z.input<S> & Record<string, unknown>, fields: Field<KeysOf<z.input<S>>>[]): Case => ({
    name: op.name, input, fields, run: (value) => runOperation(op, { db, accountId: adminId, input: value }),
  });
const id = <N extends string>(name: N): Field<N> => ({ name, kind: "other" });
const text = <N extends string>(name: N): Field<N> => ({ name, kind: "text" });
const bool = <N extends string>(name: N): Field<N> => ({ name, kind: "bool" });
const list = <N extends string>(name: N): Field<N> => ({ name, kind: "list" });

const rule = {
  name: "Old tickets", object: "ticket", conditions: { closedOlderThanDays: 400 }, action: "anonymise", schedule: { kind: "daily", hour: 3 }, enabled: false,
} as const;

const obligation = { recordType: "invoices", periodYears: 10, periodMonths: 0, countedFrom: "issued_on", fromEndOfYear: true, law: "§147 AO" } as const;

const CASES: Case[] = [
  hostile(rectifyPerson)(() => ({ personId, firstName: "Alma", lastName: "K", dateOfBirth: "2001-02-03" }), [id("personId"), text("firstName"), id("dateOfBirth"), id("leavingDate"), id("customFields"), id("requestId")]),
  hostile(createRole)(() => ({ name: "Hostile", permissions: ["people.read"] }), [text("name"), list("permissions")]),
  hostile(updateRole)(() => ({ roleId: 1, name: "Admin", permissions: ["people.read"] }), [id("roleId"), list("permissions")]),
  hostile(deleteRole)(() => ({ roleId: 1 }), [id("roleId")]),
  hostile(setAccountRoles)(() => ({ accountId: adminId, roleIds: [1] }), [id("accountId"), list("roleIds"), bool("active")]),
  hostile(createApiToken)(() => ({ accountId: adminId, name: "t" }), [id("accountId"), text("name")]),
  hostile(revokeApiToken)(() => ({ tokenId: 1 }), [id("tokenId")]),
  hostile(setAccountLanguage)(() => ({ locale: "en" }), [id("locale")]),
  hostile(preventAnonymisation)(() => ({ personId, reason: "Hold", expiresAt: "2099-01-31" }), [id("personId"), text("reason"), id("expiresAt")]),
  hostile(preventFromReview)(() => ({ personId, reason: "Hold" }), [id("personId"), text("reason"), id("expiresAt")]),
  hostile(liftPrevention)(() => ({ personId, reason: "Settled" }), [id("personId"), text("reason")]),
  hostile(updatePrivacySettings)(() => ({ inactivePeriods: "2" }), [text("timeZone"), text("organisationName"), bool("requestClockPause"), bool("fourEyesDeletions")]),
  hostile(createAnonymisationTask)(() => ({ personId }), [id("personId"), text("reason"), text("reference"), id("origin"), id("requestId")]),
  hostile(createBulkAnonymisation)(() => ({ personIds: [personId] }), [list("personIds")]),
  hostile(createDeletionTask)(() => ({ personId }), [id("personId"), bool("deleteOrganisation"), text("overrideReason"), text("holdOverrideReason"), text("reference"), id("requestId")]),
  hostile(cancelPrivacyTask)(() => ({ id: 1 }), [id("id")]),
  hostile(retryPrivacyTask)(() => ({ id: 1 }), [id("id")]),
  hostile(approvePrivacyTask)(() => ({ id: 1 }), [id("id")]),
  hostile(cancelAnonymisationTasks)(() => ({ id: 1 }), [id("id")]),
  hostile(anonymiseTickets)(() => ({ ticketIds: [ticketId] }), [list("ticketIds")]),
  hostile(deleteTickets)(() => ({ ticketIds: [ticketId] }), [list("ticketIds"), text("holdOverrideReason"), text("reference")]),
  hostile(previewTicketDeletion)(() => ({ ticketIds: [ticketId] }), [list("ticketIds")]),
  hostile(previewTicketAnonymisation)(() => ({ ticketIds: [ticketId] }), [list("ticketIds")]),
  hostile(createRetentionRule)(() => ({ ...rule }), [text("name"), id("object"), id("conditions"), id("action"), id("schedule")]),
  hostile(updateRetentionRule)(() => ({ id: 1, ...rule }), [id("id"), id("conditions")]),
  hostile(deleteRetentionRule)(() => ({ id: 1 }), [id("id")]),
  // Reads behind the dialogs and the routes.
  hostile(searchPeopleForDeletion)(() => ({ query: "alma" }), [text("query")]),
  hostile(previewDeletion)(() => ({ personId }), [id("personId")]),
  hostile(dryRunBulkAnonymisation)(() => ({ personIds: [personId] }), [list("personIds")]),
  hostile(dryRunSavedRule)(() => ({ id: 1 }), [id("id")]),
  hostile(dryRunDefinition)(() => ({ object: "ticket", action: "anonymise", conditions: { closedOlderThanDays: "400" } }), [id("conditions"), id("object")]),
  hostile(searchPeople)(() => ({ query: "alma" }), [text("query"), id("page"), id("pageSize"), id("kind")]),
  hostile(getPersonWithEligibility)(() => ({ id: personId }), [id("id")]),
  hostile(exportPerson)(() => ({ id: personId }), [id("id"), id("format"), bool("family"), list("withhold")]),
  hostile(updateRegisterEntry)(() => ({
    recordType: "loans", purposes: "Lending", categories: "Items", legalBasis: "Art. 6(1)(b) GDPR", recipients: "Office", source: "Own records", retention: "Until returned",
  }), [id("recordType"), text("purposes"), text("categories"), text("legalBasis"), text("recipients"), text("source"), text("retention")]),
  hostile(createRetentionObligation)(() => ({ ...obligation }), [
    id("recordType"), id("periodYears"), id("periodMonths"), text("countedFrom"), bool("fromEndOfYear"), text("law"),
  ]),
  hostile(updateRetentionObligation)(() => ({ obligationId: 1, ...obligation }), [id("obligationId"), id("periodYears"), text("law")]),
  hostile(deleteRetentionObligation)(() => ({ obligationId: 1 }), [id("obligationId")]),
  hostile(listRetentionObligations)(() => ({}), []),
  hostile(listKeptRecords)(() => ({}), []),
  hostile(listPrivacyTasks)(() => ({}), [id("page"), id("subjectPersonId"), id("batchId"), id("status")]),
  hostile(getPrivacyTask)(() => ({ id: 1 }), [id("id")]),
  hostile(exportTickets)(() => ({ ids: String(ticketId) }), [id("ids"), id("format")]),
  hostile(listAuditEntries)(() => ({ from: "2026-01-01", to: "2026-12-31" }), [id("action"), text("actor"), id("type"), id("subject"), id("from"), id("to"), id("page")]),
  hostile(exportAuditEntries)(() => ({ from: "2026-01-01", to: "2026-12-31", format: "csv" }), [id("action"), text("actor"), id("type"), id("subject"), id("from"), id("to"), id("format")]),
  hostile(verifyAuditLog)(() => ({}), []),
  hostile(decideNameMention)(() => ({ id: 1, decision: "keep" }), [id("id"), id("decision")]),
  hostile(decideTaskMentions)(() => ({ taskId: 1, decision: "keep" }), [id("taskId"), id("decision")]),
  // Data-subject requests.
  hostile(registerRequest)(() => ({ type: "access", channel: "email", receivedAt: "2026-01-05T10:00", personId }), [
    id("type"), id("channel"), id("receivedAt"), id("personId"), text("requesterName"), id("requesterEmail"), id("assigneeAccountId"), text("notes"), bool("identityConfirmed"),
  ]),
  hostile(confirmRequestIdentity)(() => ({ requestId: 1, personId }), [id("requestId"), id("personId")]),
  hostile(extendRequest)(() => ({ requestId: 1, months: 1, reason: "Complex" }), [id("requestId"), id("months"), text("reason")]),
  hostile(updateRequest)(() => ({ requestId: 1, notes: "Called back" }), [id("requestId"), id("assigneeAccountId"), text("notes")]),
  hostile(withdrawRequest)(() => ({ requestId: 1 }), [id("requestId"), text("reason")]),
  hostile(fulfilRequest)(() => ({ requestId: 1, reply: "Done" }), [id("requestId"), text("reply"), id("preventionUntil")]),
  hostile(refuseRequest)(() => ({ requestId: 1, refusalBasis: "art12_5_b", reply: "No" }), [id("requestId"), id("refusalBasis"), text("reply")]),
  hostile(getRequestFulfilment)(() => ({ requestId: 1 }), [id("requestId")]),
  hostile(listRequests)(() => ({}), [id("type"), id("status"), id("assignee"), id("due"), text("query"), id("sort"), id("dir"), id("page"), id("pageSize")]),
  hostile(getRequest)(() => ({ id: 1 }), [id("id")]),
  hostile(searchPeopleForRequest)(() => ({ query: "alma" }), [text("query")]),
  // Webhooks.
  hostile(createWebhookEndpoint)(() => ({ url: "https://93.184.215.14/hook", events: ["task.completed"] }), [id("url"), text("description"), list("events"), bool("enabled")]),
  hostile(setWebhookEndpointEnabled)(() => ({ id: 1, enabled: true }), [id("id"), bool("enabled")]),
  hostile(rotateWebhookSecret)(() => ({ id: 1 }), [id("id")]),
  hostile(deleteWebhookEndpoint)(() => ({ id: 1 }), [id("id")]),
  hostile(sendTestWebhook)(() => ({ id: 1 }), [id("id")]),
  hostile(listWebhookEndpoints)(() => ({}), []),
  hostile(listWebhookDeliveries)(() => ({}), [id("endpointId"), id("limit")]),
  hostile(changeAccountName)(() => ({ firstName: "Alma", lastName: "K" }), [text("firstName"), text("lastName")]),
  hostile(changeAccountEmail)(() => ({ email: "hostile@example.org", currentPassword: "not-the-password" }), [text("email"), text("currentPassword"), id("keepSessionHash")]),
  hostile(changeAccountPassword)(() => ({ currentPassword: "not-the-password", newPassword: "a-long-new-password", confirmPassword: "a-long-new-password" }),
    [text("currentPassword"), text("newPassword"), text("confirmPassword"), id("keepSessionHash")]),
];

it("covers every operation and query defined in lib/", async () => {
  const { readFile, readdir } = await import("node:fs/promises");
  const files = (await readdir("lib", { recursive: true })).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const defined = new Set<string>();
  for (const file of files) {
    const source = await readFile(`lib/${file}`, "utf8");
    for (const m of source.matchAll(/define(?:Operation|Query)\(\{\s*name:\s*"(\w+)"/g)) defined.add(m[1]);
  }
  expect(defined.size).toBeGreaterThan(20);
  expect([...defined].filter((name) => !CASES.some((c) => c.name === name))).toEqual([]);
});

describe.each(CASES.map((c) => [c.name, c] as const))("operation %s", (_name, { run, input, fields }) => {
  it("refuses every hostile value in every field with a 4xx naming the field, and writes nothing", async () => {
    const before = await fingerprint();
    for (const field of fields) {
      for (const [label, value] of valuesFor(field.kind)) {
        const result = await run({ ...input(), [field.name]: value });
        const where = `${field.name} = ${label}`;
        expect(result.ok, where).toBe(false);
        if (result.ok) continue;
        expect(ERROR_STATUS[result.code], `${where}: ${result.code} ${result.message}`).toBeLessThan(500);
        expect(result.code, `${where}: ${result.message}`).toBe("invalid_input");
        expect(Object.keys(result.fieldErrors ?? {}).some((f) => f === field.name || f.startsWith(`${field.name}.`)), `${where}: ${JSON.stringify(result.fieldErrors)}`).toBe(true);
      }
    }
    for (const whole of [null, "text", 7, [], MB, deep(500)]) {
      const result = await run(whole);
      expect(result.ok ? 200 : ERROR_STATUS[result.code], JSON.stringify(whole).slice(0, 40)).toBeLessThan(500);
      if (!result.ok) expect(result.code).toBe("invalid_input");
    }
    expect(await fingerprint()).toEqual(before);
  });
});

describe("ids and dates PostgreSQL cannot hold", () => {
  /** A value of the type the schema takes that the database could not hold, and the field it is named by. */
  const unstorable = <S extends z.ZodType, R>(op: Operation<S, R>) => (input: z.input<S>, field: string) =>
    ({ field, run: () => runOperation(op, { db, accountId: adminId, input }) });

  it.each([
    ["createAnonymisationTask", unstorable(createAnonymisationTask)({ personId: 3_000_000_000 }, "personId")],
    ["createDeletionTask", unstorable(createDeletionTask)({ personId: "3000000000" }, "personId")],
    ["rectifyPerson (id)", unstorable(rectifyPerson)({ personId: 3_000_000_000, firstName: "A", lastName: "B" }, "personId")],
    ["rectifyPerson (30 February)", unstorable(rectifyPerson)({ personId: 1, firstName: "A", lastName: "B", dateOfBirth: "2001-02-30" }, "dateOfBirth")],
    ["preventAnonymisation (id)", unstorable(preventAnonymisation)({ personId: 3_000_000_000, reason: "Hold" }, "personId")],
    ["preventAnonymisation (30 February)", unstorable(preventAnonymisation)({ personId: 1, reason: "Hold", expiresAt: "2099-02-30" }, "expiresAt")],
    ["cancelPrivacyTask", unstorable(cancelPrivacyTask)({ id: 3_000_000_000 }, "id")],
    ["approvePrivacyTask", unstorable(approvePrivacyTask)({ id: 3_000_000_000 }, "id")],
    ["anonymiseTickets", unstorable(anonymiseTickets)({ ticketIds: [3_000_000_000] }, "ticketIds.0")],
    ["deleteTickets", unstorable(deleteTickets)({ ticketIds: [ticketId, "3000000000"] }, "ticketIds.1")],
    ["setAccountRoles", unstorable(setAccountRoles)({ accountId: 1, roleIds: ["3000000000"] }, "roleIds.0")],
    ["deleteRole", unstorable(deleteRole)({ roleId: "3000000000" }, "roleId")],
  ] as const)("%s answers invalid input naming the field", async (_name, { field, run }) => {
    expect(await run()).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: expect.any(Array) } });
  });
});

// ---------------------------------------------------------------- routes

const api = (path: string, init: RequestInit = {}) =>
  new Request(`${BASE}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const post = (body: string, headers: Record<string, string> = {}) =>
  api("/privacy-tasks", { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } });

describe("API routes", () => {
  it("GET /api/v1/people: every hostile query parameter answers 4xx naming it", async () => {
    const before = await fingerprint();
    for (const param of ["query", "page", "pageSize", "kind", "eligible", "sort", "dir"]) {
      for (const [label, raw] of Object.entries(URL_VALUES)) {
        if (param === "query" && ["3000000000", "-1", "1e309", "NaN", "true", "a JSON array", "a JSON object", "%ZZ"].includes(label)) continue;
        if (param === "eligible" && label === "true") continue;
        let url: string;
        try {
          url = `/people?${param}=${raw}`;
          new URL(`${BASE}${url}`);
        } catch {
          continue;
        }
        const response = await searchPeopleRoute(api(url));
        if (response.status === 200 && param === "query") continue; // a search for odd text finds nothing
        await expect4xx(response, param);
      }
    }
    expect(await fingerprint()).toEqual(before);
  });

  it.each([
    ["GET /api/v1/people/{id}", () => getPersonRoute],
    ["GET /api/v1/privacy-tasks/{id}", () => getTaskRoute],
    ["POST /api/v1/privacy-tasks/{id}/approve", () => approveTaskRoute],
  ] as const)("%s: every hostile id answers 4xx naming the id", async (_name, handler) => {
    const before = await fingerprint();
    for (const raw of [...Object.values(URL_VALUES), "", "0", "1.5", "2147483648", " 1", "1e3", "0x10"]) {
      await expect4xx(await handler()(api(`/x/${raw.slice(0, 20)}`), ctx({ id: raw })), "id");
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("GET /api/v1/people/{id}/export: every hostile id answers 4xx and leaves no audit entry", async () => {
    const before = await fingerprint();
    for (const raw of [...Object.values(URL_VALUES), "", "0", "2147483648"]) {
      await expect4xx(await exportPersonApi(api("/people/x/export"), ctx({ id: raw })), "id");
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("GET /api/v1/privacy-tasks: every hostile query parameter answers 4xx naming it", async () => {
    const before = await fingerprint();
    for (const param of ["page", "pageSize", "status", "action", "subjectPersonId", "batchId"]) {
      for (const raw of Object.values(URL_VALUES)) {
        await expect4xx(await listTasksRoute(api(`/privacy-tasks?${param}=${raw}`)), param);
      }
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("POST /api/v1/privacy-tasks: hostile fields, malformed and nested JSON answer 4xx and queue nothing", async () => {
    const before = await fingerprint();
    const valid = { personId, action: "anonymise" };
    for (const field of ["personId", "action", "deleteOrganisation", "reason"]) {
      for (const [label, value] of Object.entries(VALUES)) {
        if ((field === "reason" && label.startsWith("'")) || (field === "deleteOrganisation" && label === "a boolean")) continue;
        const body = value === Number.POSITIVE_INFINITY ? JSON.stringify(valid).replace(/}$/, `,"${field}":1e309}`) : JSON.stringify({ ...valid, [field]: value });
        await expect4xx(await createTaskRoute(post(body)), field);
      }
    }
    const malformed = ["", "{", "{not json", "null", "[]", "7", '"text"', "true", `{"personId":${"[".repeat(5000)}`, JSON.stringify(deep(3000)), `"${MB}"`, "\u0000", `{"reason":"${MB.repeat(5)}"}`];
    for (const body of malformed) await expect4xx(await createTaskRoute(post(body)));
    expect(await fingerprint()).toEqual(before);
  });

  it("PATCH /api/v1/people/{id}: hostile fields, ids and malformed JSON answer 4xx naming them and change nobody", async () => {
    const before = await fingerprint();
    const patch = (body: string, id = String(personId)) =>
      patchPersonRoute(api(`/people/${id}`, { method: "PATCH", body, headers: { "Content-Type": "application/json" } }), ctx({ id }));
    const texts = ["firstName", "lastName", "phone", "address", "externalId"];
    for (const field of [...texts, "email", "dateOfBirth", "leavingDate", "customFields", "requestId"]) {
      for (const [label, value] of Object.entries(VALUES)) {
        if (texts.includes(field) && label.startsWith("'")) continue; // "3000000000" is a fine name, address or phone number
        const body = value === Number.POSITIVE_INFINITY ? `{"${field}":1e309}` : JSON.stringify({ [field]: value });
        await expect4xx(await patch(body), field);
      }
    }
    for (const body of ["", "{", "null", "[]", "7", '"text"', `{"firstName":${"[".repeat(5000)}`, JSON.stringify(deep(3000)), "\u0000", `{"lastName":"${MB.repeat(5)}"}`]) {
      await expect4xx(await patch(body));
    }
    await expect4xx(await patch(JSON.stringify({ firstName: "Alma", [MB]: 1 })));
    for (const raw of [...Object.values(URL_VALUES), "", "0", "1.5", "2147483648", " 1", "0x10"]) {
      await expect4xx(await patch('{"firstName":"Alma"}', raw), "id");
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("DELETE /api/v1/tickets/{id}: hostile ids and query parameters answer 4xx naming them, and delete nothing", async () => {
    const before = await fingerprint();
    const remove = (id: string, query = "") => deleteTicketRoute(api(`/tickets/x${query}`, { method: "DELETE" }), ctx({ id }));
    for (const raw of [...Object.values(URL_VALUES), "", "0", "1.5", "2147483648", " 1", "1e3", "0x10"]) await expect4xx(await remove(raw), "id");
    // A ticket that does not exist, so that a parameter the schema takes cannot delete anything: 404 then.
    for (const param of ["holdOverrideReason", "reference"]) {
      for (const [label, raw] of Object.entries(URL_VALUES)) {
        const named = ["1 MB of text", "a NUL byte", "a lone surrogate"].includes(label);
        await expect4xx(await remove("2147483647", `?${param}=${raw}`), named ? param : undefined);
      }
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("POST /api/v1/webhooks: hostile fields, malformed and nested JSON answer 4xx naming them, and register nothing", async () => {
    const before = await fingerprint();
    const valid = { url: "https://93.184.215.14/hook", events: ["task.failed"] };
    const register = (body: string) => createWebhookRoute(api("/webhooks", { method: "POST", body, headers: { "Content-Type": "application/json" } }));
    for (const field of ["url", "description", "events", "enabled"]) {
      for (const [label, value] of Object.entries(VALUES)) {
        if ((field === "description" && label.startsWith("'")) || (field === "enabled" && label === "a boolean")) continue;
        const body = value === Number.POSITIVE_INFINITY ? JSON.stringify(valid).replace(/}$/, `,"${field}":1e309}`) : JSON.stringify({ ...valid, [field]: value });
        await expect4xx(await register(body), field);
      }
    }
    // URLs the SSRF guard refuses, in every spelling of a loopback or metadata address.
    for (const url of ["https://0177.0.0.1/", "https://0x7f000001/", "https://[0:0:0:0:0:ffff:7f00:1]/", "https://169.254.169.254./", "javascript:alert(1)", "https://\u0000/"]) {
      await expect4xx(await register(JSON.stringify({ ...valid, url })), "url");
    }
    const malformed = ["", "{", "null", "[]", "7", '"text"', `{"events":${"[".repeat(5000)}`, JSON.stringify(deep(3000)), `"${MB}"`, `{"url":"https://93.184.215.14/${MB.repeat(5)}"}`];
    for (const body of malformed) await expect4xx(await register(body));
    expect(await fingerprint()).toEqual(before);
  });

  it("DELETE /api/v1/webhooks/{id} and POST /api/v1/webhooks/{id}/test: hostile ids answer 4xx naming id, and change nothing", async () => {
    const before = await fingerprint();
    for (const raw of [...Object.values(URL_VALUES), "", "0", "1.5", "2147483648", " 1", "1e3", "0x10"]) {
      await expect4xx(await deleteWebhookRoute(api("/webhooks/x", { method: "DELETE" }), ctx({ id: raw })), "id");
      await expect4xx(await testWebhookRoute(api("/webhooks/x/test", { method: "POST" }), ctx({ id: raw })), "id");
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("POST /api/v1/tickets/deletions: hostile fields, ids and malformed JSON answer 4xx naming them, and delete nothing", async () => {
    const before = await fingerprint();
    const send = (body: string) => deleteTicketsRoute(api("/tickets/deletions", { method: "POST", body, headers: { "Content-Type": "application/json" } }));
    const valid = { ticketIds: [ticketId] };
    for (const field of ["ticketIds", "holdOverrideReason", "reference"]) {
      for (const [label, value] of Object.entries(VALUES)) {
        // A list of ids is what ticketIds takes (and [1, 2] may name real tickets); any text is a reason or a reference.
        if ((field === "ticketIds" && label === "an array") || (field !== "ticketIds" && label.startsWith("'"))) continue;
        const body = value === Number.POSITIVE_INFINITY ? JSON.stringify(valid).replace(/}$/, `,"${field}":1e309}`) : JSON.stringify({ ...valid, [field]: value });
        await expect4xx(await send(body), field);
      }
    }
    for (const ticketIds of [[], [0], [-1], [1.5], ["x"], [null], [3_000_000_000], Array.from({ length: 5001 }, (_, i) => i + 1)]) {
      await expect4xx(await send(JSON.stringify({ ticketIds })), "ticketIds");
    }
    const malformed = ["", "{", "{not json", "null", "[]", "7", '"text"', "true", `{"ticketIds":${"[".repeat(5000)}`, JSON.stringify(deep(3000)), `"${MB}"`, "\u0000", `{"reference":"${MB.repeat(5)}"}`];
    for (const body of malformed) await expect4xx(await send(body));
    expect(await fingerprint()).toEqual(before);
  });

  it("an anonymous caller with an invalid body gets 401, not the schema", async () => {
    for (const body of ['{"personId":"seven"}', "{not json", "[]"]) {
      const response = await createTaskRoute(new Request(`${BASE}/api/v1/privacy-tasks`, { method: "POST", body, headers: { "Content-Type": "application/json" } }));
      expect(response.status).toBe(401);
      const { error } = await response.json();
      expect(error).toEqual({ code: "unauthorized", message: "A valid API token is required: Authorization: Bearer <token>." });
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("unsupported methods answer 405 in the JSON error shape with Allow", async () => {
    const routes: [string, Record<string, unknown>, string][] = [
      ["/people", peopleOther, "GET"],
      ["/people/1", personOther, "GET, PATCH"],
      ["/people/1/export", exportApiOther, "GET"],
      ["/privacy-tasks", tasksOther, "GET, POST"],
      ["/privacy-tasks/1", taskOther, "GET"],
      ["/privacy-tasks/1/approve", approveOther, "POST"],
      ["/tickets/1", ticketOther, "DELETE"],
      ["/tickets/deletions", ticketDeletionsOther, "POST"],
      ["/webhooks", webhooksOther, "GET, POST"],
      ["/webhooks/1", webhookOther, "DELETE"],
      ["/webhooks/1/test", webhookTestOther, "POST"],
      ["/people/1/export (download)", exportDownloadOther, "GET"],
      ["/tickets/export (download)", exportTicketsOther, "GET"],
      ["/privacy/audit/export (download)", exportAuditOther, "GET"],
      ["/api/cron", cronOther, "GET, POST"],
    ];
    for (const [path, handlers, allowed] of routes) {
      const methods = Object.keys(handlers).filter((k) => /^[A-Z]+$/.test(k));
      expect(methods.length, path).toBeGreaterThan(0);
      for (const method of methods) {
        const response = await (handlers[method] as (r: Request) => Promise<Response>)(api(`/x`, { method }));
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get("allow"), `${method} ${path}`).toContain(allowed);
        expect((await response.json()).error).toMatchObject({ code: "method_not_allowed", message: expect.any(String) });
      }
    }
  });
});

describe("download routes of the signed-in UI", () => {
  const page = (path: string) => new Request(`${BASE}${path}`);

  it("/people/{id}/export: hostile ids and formats answer 4xx and leave no audit entry", async () => {
    session.accountId = adminId;
    const before = await fingerprint();
    for (const raw of [...Object.values(URL_VALUES), "", "0", "2147483648"]) {
      await expect4xx(await exportPersonDownload(page("/people/x/export"), ctx({ id: raw })), "id");
    }
    for (const raw of Object.values(URL_VALUES)) {
      await expect4xx(await exportPersonDownload(page(`/people/${personId}/export?format=${raw}`), ctx({ id: String(personId) })), "format");
    }
    expect(await fingerprint()).toEqual(before);
    session.accountId = null;
  });

  it("/tickets/export: hostile ids and formats answer 4xx and leave no audit entry", async () => {
    session.accountId = adminId;
    const before = await fingerprint();
    for (const raw of [...Object.values(URL_VALUES), "", "1,,x", "3000000000", `1,${"2,".repeat(6000)}3`]) {
      await expect4xx(await exportTicketsDownload(page(`/tickets/export?ids=${raw}`)), "ids");
    }
    for (const raw of Object.values(URL_VALUES)) {
      await expect4xx(await exportTicketsDownload(page(`/tickets/export?ids=${ticketId}&format=${raw}`)), "format");
    }
    expect(await fingerprint()).toEqual(before);
    session.accountId = null;
  });

  it("/privacy/audit/export: hostile filters and formats answer 4xx naming the field and leave no audit entry", async () => {
    session.accountId = adminId;
    const before = await fingerprint();
    for (const field of ["action", "type", "subject", "from", "to", "format"]) {
      // "true" is a well-formed action name (of no action): an empty export.
      for (const [, raw] of Object.entries(URL_VALUES).filter(([name]) => !(field === "action" && name === "true"))) {
        await expect4xx(await exportAuditDownload(page(`/privacy/audit/export?${field}=${raw}`)), field);
      }
    }
    await expect4xx(await exportAuditDownload(page(`/privacy/audit/export?actor=${"x".repeat(300)}`)), "actor");
    await expect4xx(await exportAuditDownload(page("/privacy/audit/export?from=2026-05-02&to=2026-05-01")), "to");
    expect(await fingerprint()).toEqual(before);
    session.accountId = null;
  });

  it("without a session, answers 401 before reading any parameter", async () => {
    session.accountId = null;
    const response = await exportTicketsDownload(page("/tickets/export?ids=3000000000"));
    expect(response.status).toBe(401);
    expect((await response.json()).error.issues).toBeUndefined();
  });
});
