import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, type DbHandle, rows } from "@/db/client";
import { createRole, deleteRole, setAccountRoles, updateRole } from "@/lib/admin/roles";
import { createApiToken, revokeApiToken, issueApiToken } from "@/lib/admin/tokens";
import { type Operation, runOperation } from "@/lib/operation";
import { rectifyPerson } from "@/lib/people/rectify";
import { liftPreventionOperation, preventAnonymisationOperation, preventFromReviewOperation } from "@/lib/privacy/prevention-operations";
import { updatePrivacySettingsOperation } from "@/lib/privacy/settings-operations";
import {
  cancelAnonymisationTasks, cancelPrivacyTask, createAnonymisationTask, createBulkAnonymisation, createDeletionTask,
} from "@/lib/privacy/tasks";
import { anonymiseTicketsOperation } from "@/lib/privacy/ticket-operations";
import { createRetentionRule, deleteRetentionRule, updateRetentionRule } from "@/lib/schedule/rules";
import { SEEDED_ROLES } from "@/lib/permissions";
import { createTestDb } from "./db";
import { createAccount, createPerson, createRoleAccounts, createTicket, ROLE_NAMES, type RoleName } from "./fixtures";

// Every permission-gated operation × every seeded role (and no session): a caller
// without the permission gets `forbidden` and nothing changes; a caller with it is let
// through to the domain. New operations are added to CASES.

type Case = { op: Operation<never, unknown>; input: (db: Db) => Promise<unknown> };

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
  { op: preventAnonymisationOperation as never, input: async (db) => ({ personId: (await createPerson(db)).id, reason: "Legal hold" }) },
  { op: preventFromReviewOperation as never, input: async (db) => ({ personId: (await createPerson(db)).id, reason: "Legal hold" }) },
  {
    op: liftPreventionOperation as never,
    input: async (db) => ({ personId: (await createPerson(db, { preventedAt: new Date(), preventionReason: "Claim" })).id }),
  },
  { op: updatePrivacySettingsOperation as never, input: async () => ({ inactivePeriods: 2 }) },
  { op: createAnonymisationTask as never, input: async (db) => ({ personId: (await longGonePerson(db)).id }) },
  { op: createBulkAnonymisation as never, input: async (db) => ({ personIds: [(await longGonePerson(db)).id] }) },
  { op: createDeletionTask as never, input: async (db) => ({ personId: (await createPerson(db)).id, confirm: "DELETE" }) },
  { op: cancelPrivacyTask as never, input: async (db) => ({ id: await queuedTask(db, "delete") }) },
  { op: cancelAnonymisationTasks as never, input: async (db) => ({ id: await queuedTask(db, "anonymise") }) },
  { op: anonymiseTicketsOperation as never, input: async (db) => ({ ticketIds: [(await createTicket(db, { customerId: (await createPerson(db)).id })).id] }) },
  {
    op: createRetentionRule as never,
    input: async () => ({ name: "Old tickets", object: "ticket", conditions: { closedOlderThanDays: 400 }, action: "anonymise", schedule: { kind: "daily", hour: 3 }, enabled: false }),
  },
  { op: updateRetentionRule as never, input: async (db) => ({ id: await ruleId(db), name: "Renamed", object: "ticket", conditions: { closedOlderThanDays: 500 }, action: "anonymise", schedule: { kind: "daily", hour: 4 }, enabled: false }) },
  { op: deleteRetentionRule as never, input: async (db) => ({ id: await ruleId(db) }) },
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
  accounts = await createRoleAccounts(handle.db);
  // Anonymisation is off on a fresh install; switch it on so that the gated operations
  // reach their permission check and then their domain rules.
  await handle.db.execute(sql`update privacy_settings set anonymisation_enabled = true where id = 1`);
});
afterAll(async () => handle?.close());

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
