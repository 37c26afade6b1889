import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { runOperation } from "@/lib/operation";
import { onPostgres, useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";
import { createAccountWithRole } from "./accounts";
import { assertSettingsAdminRemains } from "./guards";
import { deleteRole, setAccountRoles, updateRole } from "./roles";
import { accountIdForApiToken, issueApiToken, revokeApiToken } from "./tokens";

const handle = await useTestDatabase();

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

// Two transactions that each take admin.settings from the other administrator only
// overlap on the server (PGlite runs one transaction at a time).
describe.runIf(onPostgres)("the last settings administrator under concurrency (PostgreSQL)", () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => { resolve = r; });
    return { promise, resolve };
  };
  const adminCount = async () => rows<{ n: number }>(await handle.db.execute(sql`
    select count(distinct a.id)::int as n from accounts a join account_roles ar on ar.account_id = a.id join roles r on r.id = ar.role_id
    where a.active and 'admin.settings' = any(r.permissions)`))[0].n;

  it("lets only one of two crossing removals commit", async () => {
    // Leave exactly two administrators.
    await handle.db.execute(sql`delete from account_roles where role_id = ${await roleId("Admin")}`);
    const a = await createAccount(handle.db, "Admin");
    const b = await createAccount(handle.db, "Admin");
    const bothRemoved = deferred();
    const firstRemoved = deferred();
    // Both removals are written before either transaction checks: without serialising
    // the check, each still counts the other administrator and both commit.
    const results = await Promise.allSettled([
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`delete from account_roles where account_id = ${a.account.id}`);
        firstRemoved.resolve();
        await bothRemoved.promise;
        await assertSettingsAdminRemains(tx);
      }),
      handle.db.transaction(async (tx) => {
        await firstRemoved.promise;
        await tx.execute(sql`delete from account_roles where account_id = ${b.account.id}`);
        bothRemoved.resolve();
        await assertSettingsAdminRemains(tx);
      }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "rule_violation" } });
    expect(await adminCount()).toBe(1);
  });

  it("holds through the operations: crossing role removals and deactivations leave an administrator", async () => {
    for (let round = 0; round < 5; round++) {
      await handle.db.execute(sql`delete from account_roles where role_id = ${await roleId("Admin")}`);
      const a = await createAccount(handle.db, "Admin");
      const b = await createAccount(handle.db, "Admin");
      const agent = await roleId("Agent");
      await Promise.all([
        runOperation(setAccountRoles, { db: handle.db, accountId: b.account.id, input: { accountId: a.account.id, roleIds: [agent] } }),
        runOperation(setAccountRoles, { db: handle.db, accountId: a.account.id, input: { accountId: b.account.id, roleIds: [await roleId("Admin")], active: false } }),
      ]);
      expect(await adminCount()).toBeGreaterThanOrEqual(1);
    }
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
