import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Db, type DbHandle, rows } from "@/db/client";
import { createRole, deleteRole, setAccountRoles, updateRole } from "@/lib/admin/roles";
import { createApiToken, revokeApiToken, issueApiToken } from "@/lib/admin/tokens";
import { type Operation, runOperation } from "@/lib/operation";
import { rectifyPerson } from "@/lib/people/rectify";
import { liftPrevention, preventAnonymisation, preventFromReview } from "@/lib/privacy/prevention/operations";
import { updatePrivacySettings } from "@/lib/privacy/settings/operations";
import {
  cancelAnonymisationTasks, cancelPrivacyTask, createAnonymisationTask, createBulkAnonymisation, createDeletionTask,
  retryPrivacyTask,
} from "@/lib/privacy/tasks/tasks";
import { anonymiseTickets } from "@/lib/privacy/anonymise/anonymise-tickets-operation";
import { exportPerson, getPersonWithEligibility, searchPeople } from "@/lib/people/people-queries";
import {
  previewDeletion, dryRunBulkAnonymisation, getPrivacyTask, listPrivacyTasks, searchPeopleForDeletion,
} from "@/lib/privacy/tasks/read-queries";
import { dryRunDefinition, dryRunSavedRule } from "@/lib/schedule/rule-queries";
import { createRetentionRule, deleteRetentionRule, updateRetentionRule } from "@/lib/schedule/rules";
import { exportTickets } from "@/lib/tickets/export-operation";
import { SEEDED_ROLES } from "@/lib/permissions";
import { createTestDb } from "./db";
import { createAccount, createPerson, createRoleAccounts, createTicket, ROLE_NAMES, type RoleName } from "./fixtures";

// Every permission-gated operation and query × every seeded role (and no session): a
// caller without the permission gets `forbidden` and nothing changes; a caller with it is
// let through to the domain. New operations are added to CASES. Then every route handler
// × every role, with what the body holds (and does not hold).

const session = vi.hoisted(() => ({ accountId: null as number | null }));
vi.mock("@/lib/auth/session", () => ({
  currentAccountId: async () => session.accountId,
  currentActor: async () => null,
  requirePage: async () => {
    throw new Error("pages are not rendered here");
  },
}));

type Case = { op: Operation<never, unknown>; input: (db: Db) => Promise<unknown> };
const tasksModule = await import("@/lib/privacy/tasks/tasks");

const CASES: Case[] = [
  { op: rectifyPerson as never, input: async (db) => ({ personId: (await createPerson(db)).id, firstName: "Corrected", lastName: "Name" }) },
  { op: createRole as never, input: async () => ({ name: `Role ${Math.random().toString(36).slice(2, 8)}`, permissions: ["people.read"] }) },
  { op: updateRole as never, input: async (db) => ({ roleId: await roleId(db, "Agent"), name: "Agent", description: "Reads records", permissions: ["people.read"] }) },
  { op: deleteRole as never, input: async (db) => ({ roleId: rows<{ id: number }>(await db.execute(sql`insert into roles (name) values (${`Temp ${Math.random()}`}) returning id`))[0].id }) },
  { op: setAccountRoles as never, input: async (db) => ({ accountId: (await createAccount(db, "Agent")).account.id, roleIds: [await roleId(db, "Agent")] }) },
  { op: createApiToken as never, input: async (db) => ({ accountId: (await createAccount(db, "Agent")).account.id, name: "matrix" }) },
  {
    op: revokeApiToken as never,
    input: async (db) => {
      const { account } = await createAccount(db, "Agent");
      const token = await issueApiToken(db, { accountId: account.id, name: "to revoke", actorAccountId: null });
      return { tokenId: token.id };
    },
  },
  { op: preventAnonymisation as never, input: async (db) => ({ personId: (await createPerson(db)).id, reason: "Legal hold" }) },
  { op: preventFromReview as never, input: async (db) => ({ personId: (await createPerson(db)).id, reason: "Legal hold" }) },
  {
    op: liftPrevention as never,
    input: async (db) => ({ personId: (await createPerson(db, { preventedAt: new Date(), preventionReason: "Claim" })).id }),
  },
  { op: updatePrivacySettings as never, input: async () => ({ inactivePeriods: 2 }) },
  { op: createAnonymisationTask as never, input: async (db) => ({ personId: (await longGonePerson(db)).id }) },
  { op: createBulkAnonymisation as never, input: async (db) => ({ personIds: [(await longGonePerson(db)).id] }) },
  { op: createDeletionTask as never, input: async (db) => ({ personId: (await createPerson(db)).id }) },
  { op: cancelPrivacyTask as never, input: async (db) => ({ id: await queuedTask(db, "delete") }) },
  { op: retryPrivacyTask as never, input: async (db) => ({ id: rows<{ id: number }>(await db.execute(sql`update privacy_tasks set status = 'failed' where id = ${await queuedTask(db, "delete")} returning id`))[0].id }) },
  { op: cancelAnonymisationTasks as never, input: async (db) => ({ id: await queuedTask(db, "anonymise") }) },
  { op: anonymiseTickets as never, input: async (db) => ({ ticketIds: [(await createTicket(db, { customerId: (await createPerson(db)).id })).id] }) },
  {
    op: createRetentionRule as never,
    input: async () => ({ name: "Old tickets", object: "ticket", conditions: { closedOlderThanDays: 400 }, action: "anonymise", schedule: { kind: "daily", hour: 3 }, enabled: false }),
  },
  { op: updateRetentionRule as never, input: async (db) => ({ id: await ruleId(db), name: "Renamed", object: "ticket", conditions: { closedOlderThanDays: 500 }, action: "anonymise", schedule: { kind: "daily", hour: 4 }, enabled: false }) },
  { op: deleteRetentionRule as never, input: async (db) => ({ id: await ruleId(db) }) },
  // Reads: the dialogs' look-ups, the API's and the downloads'.
  { op: searchPeopleForDeletion as never, input: async () => ({ query: "alma" }) },
  { op: previewDeletion as never, input: async (db) => ({ personId: (await createPerson(db)).id }) },
  { op: dryRunBulkAnonymisation as never, input: async (db) => ({ personIds: [(await longGonePerson(db)).id] }) },
  { op: dryRunSavedRule as never, input: async (db) => ({ id: await ruleId(db) }) },
  { op: dryRunDefinition as never, input: async () => ({ object: "ticket", action: "anonymise", conditions: { closedOlderThanDays: "400" } }) },
  { op: searchPeople as never, input: async () => ({ query: "alma" }) },
  { op: getPersonWithEligibility as never, input: async (db) => ({ id: (await createPerson(db)).id }) },
  { op: exportPerson as never, input: async (db) => ({ id: (await createPerson(db)).id }) },
  { op: listPrivacyTasks as never, input: async () => ({}) },
  { op: getPrivacyTask as never, input: async (db) => ({ id: await queuedTask(db, "anonymise") }) },
  { op: exportTickets as never, input: async (db) => ({ ids: String((await createTicket(db, { customerId: (await createPerson(db)).id })).id) }) },
  ...optionalTaskCase("retryPrivacyTask", async (db) => ({ id: await queuedTask(db, "delete") })),
];

/** A case for a task operation that lib/privacy/tasks/tasks.ts may not export yet (added alongside this file). */
function optionalTaskCase(exported: string, input: Case["input"]): Case[] {
  const op = (tasksModule as Record<string, unknown>)[exported];
  return op ? [{ op: op as Case["op"], input }] : [];
}

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

async function ruleId(db: Db) {
  return rows<{ id: number }>(await db.execute(sql`
    insert into retention_rules (name, object, conditions, action, schedule)
    values ('Matrix rule', 'ticket', '{"closedOlderThanDays": 400}', 'anonymise', '{"kind": "daily", "hour": 3}') returning id`))[0].id;
}

async function roleId(db: Db, name: string) {
  return rows<{ id: number }>(await db.execute(sql`select id from roles where name = ${name}`))[0].id;
}

async function auditCount(db: Db) {
  return rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from audit_entries`))[0].n;
}

let handle: DbHandle;
let accounts: Awaited<ReturnType<typeof createRoleAccounts>>;

beforeAll(async () => {
  handle = await createTestDb();
  // The route handlers reach the database through the app's client.
  (globalThis as unknown as { __letheDb?: DbHandle }).__letheDb = handle;
  accounts = await createRoleAccounts(handle.db);
  // Anonymisation is off on a fresh install; switch it on so that the gated operations
  // reach their permission check and then their domain rules.
  await handle.db.execute(sql`update privacy_settings set anonymisation_enabled = true where id = 1`);
});
afterAll(async () => {
  (globalThis as unknown as { __letheDb?: DbHandle }).__letheDb = undefined;
  await handle?.close();
});

it("covers every operation and query defined in lib/", async () => {
  const { readFile, readdir } = await import("node:fs/promises");
  const files = (await readdir("lib", { recursive: true })).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const defined = new Set<string>();
  for (const file of files) {
    for (const m of (await readFile(`lib/${file}`, "utf8")).matchAll(/define(?:Operation|Query)\(\{\s*name:\s*"(\w+)"/g)) defined.add(m[1]);
  }
  expect([...defined].filter((name) => !CASES.some((c) => c.op.name === name))).toEqual([]);
});

describe.each(CASES.map((c) => [c.op.name, c] as const))("%s", (_name, { op, input }) => {
  it("refuses a caller without a session", async () => {
    const result = await runOperation(op, { db: handle.db, accountId: null, input: await input(handle.db) });
    expect(result).toMatchObject({ ok: false, code: "unauthorized" });
  });

  it.each(ROLE_NAMES.map((r) => [r]))("as %s", async (role: RoleName) => {
    const seeded = SEEDED_ROLES.find((r) => r.name === role)!.permissions;
    const granted = (typeof op.permission === "string" ? [op.permission] : op.permission).some((p) => seeded.includes(p));
    const prepared = await input(handle.db);
    const before = await auditCount(handle.db);
    const result = await runOperation(op, { db: handle.db, accountId: accounts[role].account.id, input: prepared });
    if (granted) {
      expect(result.ok ? "ok" : result.code).not.toMatch(/forbidden|unauthorized/);
    } else {
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      expect(await auditCount(handle.db)).toBe(before);
    }
  });
});

// ---------------------------------------------------------------- route handlers

const { GET: searchPeopleRoute } = await import("@/app/api/v1/people/route");
const { GET: getPersonRoute } = await import("@/app/api/v1/people/[id]/route");
const { GET: exportPersonApi } = await import("@/app/api/v1/people/[id]/export/route");
const { GET: listTasksRoute, POST: createTaskRoute } = await import("@/app/api/v1/privacy-tasks/route");
const { GET: getTaskRoute } = await import("@/app/api/v1/privacy-tasks/[id]/route");
const { GET: exportPersonDownload } = await import("@/app/(app)/people/[id]/export/route");
const { GET: exportTicketsDownload } = await import("@/app/(app)/tickets/export/route");

type Caller = RoleName | "anonymous";
type RouteCase = {
  name: string;
  /** Which callers may; the rest get 403 (401 without a token or session). */
  may: (role: RoleName) => boolean;
  call: (caller: Caller, ctx: { personId: number; email: string; taskId: number; ticketId: number }) => Promise<Response>;
  /** What a permitted caller's body must hold (JSON or the file's text). */
  holds: (body: string, ctx: { personId: number; email: string; taskId: number; ticketId: number }) => void;
};

const granted = (permission: string) => (role: RoleName) => SEEDED_ROLES.find((r) => r.name === role)!.permissions.includes(permission as never);
const tokens = {} as Record<RoleName, string>;
const BASE = "http://lethe.test";
const api = (caller: Caller, path: string, init: RequestInit = {}) =>
  new Request(`${BASE}/api/v1${path}`, { ...init, headers: { ...(caller === "anonymous" ? {} : { Authorization: `Bearer ${tokens[caller]}` }), ...(init.headers ?? {}) } });
const asSession = (caller: Caller) => {
  session.accountId = caller === "anonymous" ? null : accounts[caller].account.id;
};
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });

const ROUTES: RouteCase[] = [
  {
    name: "GET /api/v1/people?query=",
    may: granted("people.read"),
    call: (c, x) => searchPeopleRoute(api(c, `/people?query=${encodeURIComponent(x.email)}`)),
    holds: (body, x) => expect(JSON.parse(body).data.map((p: { id: number }) => p.id)).toEqual([x.personId]),
  },
  {
    name: "GET /api/v1/people?eligible=true",
    may: granted("people.read"),
    call: (c) => searchPeopleRoute(api(c, "/people?eligible=true")),
    holds: (body) => expect(JSON.parse(body)).toMatchObject({ data: expect.any(Array), page: 1, total: expect.any(Number) }),
  },
  {
    name: "GET /api/v1/people/{id}",
    may: granted("people.read"),
    call: (c, x) => getPersonRoute(api(c, `/people/${x.personId}`), params(x.personId)),
    holds: (body, x) => expect(JSON.parse(body).data).toMatchObject({ id: x.personId, email: x.email, eligibility: expect.any(Object) }),
  },
  {
    name: "GET /api/v1/people/{id}/export",
    may: granted("people.export"),
    call: (c, x) => exportPersonApi(api(c, `/people/${x.personId}/export`), params(x.personId)),
    holds: (body, x) => expect(body).toContain(x.email),
  },
  {
    name: "GET /api/v1/privacy-tasks",
    may: (r) => granted("admin.data_privacy")(r) || granted("R_CAN_ANONYMIZE_USERS")(r),
    call: (c) => listTasksRoute(api(c, "/privacy-tasks")),
    holds: (body, x) => expect(JSON.parse(body).data.map((t: { id: number }) => t.id)).toContain(x.taskId),
  },
  {
    name: "GET /api/v1/privacy-tasks/{id}",
    may: (r) => granted("admin.data_privacy")(r) || granted("R_CAN_ANONYMIZE_USERS")(r),
    call: (c, x) => getTaskRoute(api(c, `/privacy-tasks/${x.taskId}`), params(x.taskId)),
    holds: (body, x) => expect(JSON.parse(body).data).toMatchObject({ id: x.taskId, action: "anonymise" }),
  },
  {
    name: "POST /api/v1/privacy-tasks (delete)",
    may: granted("admin.data_privacy"),
    call: (c, x) => createTaskRoute(api(c, "/privacy-tasks", { method: "POST", body: JSON.stringify({ personId: x.personId, action: "delete" }), headers: { "Content-Type": "application/json" } })),
    holds: (body, x) => expect(JSON.parse(body).data).toMatchObject({ action: "delete", status: "queued", subject: { personId: x.personId } }),
  },
  {
    name: "GET /people/{id}/export (download)",
    may: granted("people.export"),
    call: (c, x) => {
      asSession(c);
      return exportPersonDownload(new Request(`${BASE}/people/${x.personId}/export?format=zip`), params(x.personId));
    },
    holds: (body) => expect(body.startsWith("PK")).toBe(true),
  },
  {
    name: "GET /tickets/export (download)",
    may: granted("people.export"),
    call: (c, x) => {
      asSession(c);
      return exportTicketsDownload(new Request(`${BASE}/tickets/export?ids=${x.ticketId}&format=csv`));
    },
    holds: (body, x) => expect(body).toContain(x.email),
  },
];

describe("route handlers × roles", () => {
  beforeAll(async () => {
    for (const role of ROLE_NAMES) tokens[role] = (await issueApiToken(handle.db, { accountId: accounts[role].account.id, name: role, actorAccountId: null })).secret;
  });

  async function prepare() {
    const person = await createPerson(handle.db);
    const ticket = await createTicket(handle.db, { customerId: person.id, title: `Question from ${person.email}` });
    const taskId = await queuedTask(handle.db, "anonymise");
    return { personId: person.id, email: person.email!, taskId, ticketId: ticket.id };
  }

  describe.each(ROUTES.map((r) => [r.name, r] as const))("%s", (_name, route) => {
    it.each([...ROLE_NAMES, "anonymous" as const].map((r) => [r]))("as %s", async (caller: Caller) => {
      const x = await prepare();
      const before = await auditCount(handle.db);
      const response = await route.call(caller, x);
      const body = await response.text();
      session.accountId = null;
      if (caller !== "anonymous" && route.may(caller)) {
        expect(response.status, body.slice(0, 200)).toBeLessThan(300);
        route.holds(body, x);
        return;
      }
      expect(response.status).toBe(caller === "anonymous" ? 401 : 403);
      expect(JSON.parse(body)).toEqual({ error: { code: caller === "anonymous" ? "unauthorized" : "forbidden", message: expect.any(String) } });
      expect(body).not.toContain(x.email);
      expect(await auditCount(handle.db)).toBe(before);
    });
  });
});
