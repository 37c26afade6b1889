import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, rows } from "@/db/client";
import { runOperation } from "@/lib/operation";
import { createTestDb } from "@/test/db";
import { createAccount } from "@/test/fixtures";
import { createAccountWithRole } from "./accounts";
import { deleteRole, setAccountRoles, updateRole } from "./roles";
import { accountIdForApiToken, issueApiToken, revokeApiToken } from "./tokens";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => handle?.close());

const roleId = async (name: string) => rows<{ id: number }>(await handle.db.execute(sql`select id from roles where name = ${name}`))[0].id;

describe("the last settings administrator", () => {
  it("cannot lose the role, be deactivated, or have the permission taken from the role", async () => {
    const { account } = await createAccount(handle.db, "Admin");
    const admin = await roleId("Admin");
    const asAdmin = (op: Parameters<typeof runOperation>[0], input: unknown) => runOperation(op, { db: handle.db, accountId: account.id, input });
    expect(await asAdmin(setAccountRoles, { accountId: account.id, roleIds: [] })).toMatchObject({ ok: false, code: "rule_violation" });
    expect(await asAdmin(setAccountRoles, { accountId: account.id, roleIds: [admin], active: false })).toMatchObject({ ok: false, code: "rule_violation" });
    expect(await asAdmin(updateRole, { roleId: admin, name: "Admin", permissions: ["people.read"] })).toMatchObject({ ok: false, code: "rule_violation" });
    expect(await asAdmin(deleteRole, { roleId: admin })).toMatchObject({ ok: false, code: "rule_violation" });
    // Nothing was changed by the refused attempts.
    const [still] = rows<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from account_roles where account_id = ${account.id} and role_id = ${admin}`));
    expect(still.n).toBe(1);
    // With a second administrator the first may step down.
    await createAccount(handle.db, "Admin");
    expect(await asAdmin(setAccountRoles, { accountId: account.id, roleIds: [await roleId("Agent")] })).toMatchObject({ ok: true });
  });
});

describe("API tokens", () => {
  it("authenticate by hash only until revoked", async () => {
    const { account } = await createAccount(handle.db, "Agent");
    const admin = await createAccount(handle.db, "Admin");
    const token = await issueApiToken(handle.db, { accountId: account.id, name: "integration", actorAccountId: null });
    const stored = rows<{ token_hash: string }>(await handle.db.execute(sql`select token_hash from api_tokens where id = ${token.id}`))[0];
    expect(stored.token_hash).not.toContain(token.secret);
    expect(await accountIdForApiToken(handle.db, token.secret)).toBe(account.id);
    expect(await accountIdForApiToken(handle.db, `${token.secret}x`)).toBeNull();
    expect(await runOperation(revokeApiToken, { db: handle.db, accountId: admin.account.id, input: { tokenId: token.id } })).toMatchObject({ ok: true });
    expect(await accountIdForApiToken(handle.db, token.secret)).toBeNull();
  });
});

describe("createAccountWithRole", () => {
  it("creates a staff person with an account and refuses unknown roles and duplicates", async () => {
    const input = { email: "first.admin@example.org", role: "Admin", password: "a-long-enough-password", firstName: "", lastName: "" };
    const { account } = await handle.db.transaction((tx) => createAccountWithRole(tx, input, null));
    expect(account.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(handle.db.transaction((tx) => createAccountWithRole(tx, input, null))).rejects.toMatchObject({ code: "conflict" });
    await expect(handle.db.transaction((tx) => createAccountWithRole(tx, { ...input, email: "x@example.org", role: "Nope" }, null))).rejects.toMatchObject({ code: "invalid_input" });
  });
});
