import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, type DbHandle, rows } from "@/db/client";
import { createRole, deleteRole, setAccountRoles, updateRole } from "@/lib/admin/roles";
import { createApiToken, revokeApiToken, issueApiToken } from "@/lib/admin/tokens";
import { type Operation, runOperation } from "@/lib/operation";
import { rectifyPerson } from "@/lib/people/rectify";
import { SEEDED_ROLES } from "@/lib/permissions";
import { createTestDb } from "./db";
import { createAccount, createPerson, createRoleAccounts, ROLE_NAMES, type RoleName } from "./fixtures";

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
];

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
});
afterAll(async () => handle?.close());

describe.each(CASES.map((c) => [c.op.name, c] as const))("%s", (_name, { op, input }) => {
  it("refuses a caller without a session", async () => {
    const result = await runOperation(op, { db: handle.db, accountId: null, input: await input(handle.db) });
    expect(result).toMatchObject({ ok: false, code: "unauthorized" });
  });

  it.each(ROLE_NAMES.map((r) => [r]))("as %s", async (role: RoleName) => {
    const granted = SEEDED_ROLES.find((r) => r.name === role)!.permissions.includes(op.permission);
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
