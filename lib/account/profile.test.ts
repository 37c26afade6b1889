import { and, desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, auditEntries, fieldHistory, people, sessions } from "@/db/schema";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { sha256 } from "@/lib/auth/tokens";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount, createPerson } from "@/test/fixtures";
import { changeAccountEmail, changeAccountName, changeAccountPassword, getAccountProfileById } from "./profile";

const PASSWORD = "the-current-password-1";
const { db } = await useTestDatabase();
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

/** An account with a known password and three open sessions; the first is "this browser". */
async function signedInAccount() {
  const { account, person } = await createAccount(db, "Staff");
  await db.update(accounts).set({ passwordHash }).where(eq(accounts.id, account.id));
  await db.update(people).set({ email: account.email }).where(eq(people.id, person.id));
  const sids = ["this-browser", "phone", "old-laptop"].map((s) => `${s}-${account.id}-${Math.random()}`);
  const expiresAt = new Date(Date.now() + 3_600_000);
  await db.insert(sessions).values(sids.map((sid) => ({ tokenHash: sha256(sid), accountId: account.id, expiresAt })));
  return { account, person, keepSessionHash: sha256(sids[0]), sids };
}

const sessionsOf = async (accountId: number) => (await db.select({ h: sessions.tokenHash }).from(sessions).where(eq(sessions.accountId, accountId))).map((r) => r.h);
const auditOf = (accountId: number) => db.select().from(auditEntries).where(and(eq(auditEntries.targetType, "account"), eq(auditEntries.targetId, accountId))).orderBy(desc(auditEntries.id));
const historyOf = (personId: number) => db.select().from(fieldHistory).where(eq(fieldHistory.personId, personId)).orderBy(fieldHistory.id);
const run = <I>(op: Parameters<typeof runOperation>[0], accountId: number, input: I) => runOperation(op, { db, accountId, input });
const clearAttempts = () => db.execute(sql`delete from sign_in_attempts`);

describe("changeAccountPassword", () => {
  it("changes the password, ends the other sessions, keeps this one and audits without secrets", async () => {
    const { account, keepSessionHash } = await signedInAccount();
    const result = await run(changeAccountPassword, account.id, { currentPassword: PASSWORD, newPassword: "a-brand-new-password", confirmPassword: "a-brand-new-password", keepSessionHash });
    expect(result).toEqual({ ok: true, data: { sessionsEnded: 2 } });
    expect(await sessionsOf(account.id)).toEqual([keepSessionHash]);
    const [saved] = await db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(await verifyPassword(saved.passwordHash, "a-brand-new-password")).toBe(true);
    expect(await verifyPassword(saved.passwordHash, PASSWORD)).toBe(false);
    const [entry] = await auditOf(account.id);
    expect(entry).toMatchObject({ action: "account.password_changed", actorAccountId: account.id, details: { sessionsEnded: 2 } });
    const written = JSON.stringify(entry);
    for (const secret of [PASSWORD, "a-brand-new-password", saved.passwordHash, "argon2"]) expect(written).not.toContain(secret);
    // Signing in takes the new password, not the old one.
    expect(await authorizeCredentials(db, { email: account.email, password: PASSWORD }, { trustedProxyHops: 0 })).toMatchObject({ ok: false });
    expect(await authorizeCredentials(db, { email: account.email, password: "a-brand-new-password" }, { trustedProxyHops: 0 })).toMatchObject({ ok: true });
  });

  it("without a session to keep, ends every session", async () => {
    const { account } = await signedInAccount();
    expect(await run(changeAccountPassword, account.id, { currentPassword: PASSWORD, newPassword: "another-new-password", confirmPassword: "another-new-password" }))
      .toEqual({ ok: true, data: { sessionsEnded: 3 } });
    expect(await sessionsOf(account.id)).toEqual([]);
  });

  it("leaves other accounts' sessions alone, whatever session hash is named", async () => {
    const mine = await signedInAccount();
    const other = await signedInAccount();
    expect(await run(changeAccountPassword, mine.account.id, { currentPassword: PASSWORD, newPassword: "yet-another-password", confirmPassword: "yet-another-password", keepSessionHash: other.keepSessionHash }))
      .toMatchObject({ ok: true });
    expect(await sessionsOf(other.account.id)).toHaveLength(3);
  });

  it.each([
    ["a wrong current password", { currentPassword: "not-the-password", newPassword: "a-brand-new-password", confirmPassword: "a-brand-new-password" }, "currentPassword"],
    ["a short new password", { currentPassword: PASSWORD, newPassword: "short", confirmPassword: "short" }, "newPassword"],
    ["a mismatched repetition", { currentPassword: PASSWORD, newPassword: "a-brand-new-password", confirmPassword: "a-brand-new-passworx" }, "confirmPassword"],
    ["an empty current password", { currentPassword: "", newPassword: "a-brand-new-password", confirmPassword: "a-brand-new-password" }, "currentPassword"],
    ["a huge new password", { currentPassword: PASSWORD, newPassword: "x".repeat(1001), confirmPassword: "x".repeat(1001) }, "newPassword"],
    ["a NUL byte", { currentPassword: PASSWORD, newPassword: "a-brand-new\u0000password", confirmPassword: "a-brand-new\u0000password" }, "newPassword"],
    ["a number", { currentPassword: PASSWORD, newPassword: 123456789012, confirmPassword: 123456789012 }, "newPassword"],
  ])("refuses %s naming the field, and writes nothing", async (_name, input, field) => {
    await clearAttempts();
    const { account, keepSessionHash } = await signedInAccount();
    const auditBefore = (await auditOf(account.id)).length;
    const result = await run(changeAccountPassword, account.id, { ...input, keepSessionHash });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: expect.any(Array) } });
    const [saved] = await db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(saved.passwordHash).toBe(passwordHash);
    expect(await sessionsOf(account.id)).toHaveLength(3);
    expect(await auditOf(account.id)).toHaveLength(auditBefore);
  });

  it("counts wrong current passwords against the sign-in limit: refused before the check once it is reached", async () => {
    await clearAttempts();
    const { account, keepSessionHash } = await signedInAccount();
    const wrong = { currentPassword: "guess", newPassword: "a-brand-new-password", confirmPassword: "a-brand-new-password", keepSessionHash };
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await run(changeAccountPassword, account.id, wrong);
      codes.push(r.ok ? "ok" : r.code);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill("invalid_input"));
    expect(codes[10]).toBe("rate_limited");
    // Now even the right password is refused until the lock passes: the form is no oracle.
    const right = await run(changeAccountPassword, account.id, { ...wrong, currentPassword: PASSWORD });
    expect(right).toMatchObject({ ok: false, code: "rate_limited", fieldErrors: { currentPassword: expect.any(Array) } });
    // The same count as the sign-in page's.
    expect(await authorizeCredentials(db, { email: account.email, password: PASSWORD }, { trustedProxyHops: 0 })).toEqual({ ok: false, reason: "rate_limited" });
    expect(await sessionsOf(account.id)).toHaveLength(3);
  });
});

describe("changeAccountEmail", () => {
  it("changes the address (and the linked person's equal one with its history), ends other sessions, audits without the address", async () => {
    await clearAttempts();
    const { account, person, keepSessionHash } = await signedInAccount();
    const email = `renamed.${account.id}@example.org`;
    const result = await run(changeAccountEmail, account.id, { email: `  ${email.toUpperCase()} `, currentPassword: PASSWORD, keepSessionHash });
    expect(result).toEqual({ ok: true, data: { email, changed: true, sessionsEnded: 2 } });
    expect((await db.select().from(accounts).where(eq(accounts.id, account.id)))[0].email).toBe(email);
    expect((await db.select().from(people).where(eq(people.id, person.id)))[0].email).toBe(email);
    expect(await historyOf(person.id)).toEqual([expect.objectContaining({ field: "email", oldValue: account.email, newValue: email, accountId: account.id })]);
    expect(await sessionsOf(account.id)).toEqual([keepSessionHash]);
    const [entry] = await auditOf(account.id);
    expect(entry).toMatchObject({ action: "account.email_changed", details: { sessionsEnded: 2, personUpdated: true } });
    expect(JSON.stringify(entry)).not.toContain("@");
    expect(await authorizeCredentials(db, { email, password: PASSWORD }, { trustedProxyHops: 0 })).toMatchObject({ ok: true });
  });

  it("keeps a linked person's different address", async () => {
    const { account, person, keepSessionHash } = await signedInAccount();
    await db.update(people).set({ email: "private@example.org" }).where(eq(people.id, person.id));
    expect(await run(changeAccountEmail, account.id, { email: `work.${account.id}@example.org`, currentPassword: PASSWORD, keepSessionHash })).toMatchObject({ ok: true });
    expect((await db.select().from(people).where(eq(people.id, person.id)))[0].email).toBe("private@example.org");
    expect(await historyOf(person.id)).toEqual([]);
  });

  it("the same address changes nothing and ends no session", async () => {
    const { account, keepSessionHash } = await signedInAccount();
    expect(await run(changeAccountEmail, account.id, { email: account.email, currentPassword: PASSWORD, keepSessionHash }))
      .toEqual({ ok: true, data: { email: account.email, changed: false, sessionsEnded: 0 } });
    expect(await sessionsOf(account.id)).toHaveLength(3);
  });

  it("refuses an address another account uses, naming email, and writes nothing", async () => {
    const { account, keepSessionHash } = await signedInAccount();
    const other = await signedInAccount();
    const result = await run(changeAccountEmail, account.id, { email: other.account.email.toUpperCase(), currentPassword: PASSWORD, keepSessionHash });
    expect(result).toMatchObject({ ok: false, code: "conflict", fieldErrors: { email: ["is already taken"] } });
    expect((await db.select().from(accounts).where(eq(accounts.id, account.id)))[0].email).toBe(account.email);
    expect(await sessionsOf(account.id)).toHaveLength(3);
  });

  it("checks the password before it says whether an address is taken", async () => {
    await clearAttempts();
    const { account } = await signedInAccount();
    const other = await signedInAccount();
    expect(await run(changeAccountEmail, account.id, { email: other.account.email, currentPassword: "wrong" }))
      .toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { currentPassword: ["is not correct"] } });
  });

  it.each([
    ["an invalid address", { email: "not-an-address" }, "email"],
    ["an empty address", { email: "" }, "email"],
    ["a huge address", { email: `${"a".repeat(320)}@example.org` }, "email"],
    ["a NUL byte", { email: "a\u0000b@example.org" }, "email"],
    ["no address", { email: undefined }, "email"],
    ["an object", { email: { $ne: null } }, "email"],
    ["no current password", { currentPassword: undefined }, "currentPassword"],
  ])("refuses %s naming the field, and writes nothing", async (_name, patch, field) => {
    const { account, keepSessionHash } = await signedInAccount();
    const result = await run(changeAccountEmail, account.id, { email: `fine.${account.id}@example.org`, currentPassword: PASSWORD, keepSessionHash, ...patch });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: expect.any(Array) } });
    expect((await db.select().from(accounts).where(eq(accounts.id, account.id)))[0].email).toBe(account.email);
  });

  it("refuses a session hash that is not one", async () => {
    const { account } = await signedInAccount();
    expect(await run(changeAccountEmail, account.id, { email: `x.${account.id}@example.org`, currentPassword: PASSWORD, keepSessionHash: "'; drop table sessions; --" }))
      .toMatchObject({ ok: false, fieldErrors: { keepSessionHash: expect.any(Array) } });
  });
});

describe("changeAccountName", () => {
  it("corrects the linked person's name with field history and an audit entry naming the fields only", async () => {
    const { account, person } = await signedInAccount();
    const result = await run(changeAccountName, account.id, { firstName: " Wilhelmina ", lastName: "Quattlebaum" });
    expect(result).toEqual({ ok: true, data: { personId: person.id, changed: ["firstName", "lastName"] } });
    expect(await historyOf(person.id)).toEqual([
      expect.objectContaining({ field: "firstName", oldValue: person.firstName, newValue: "Wilhelmina", accountId: account.id }),
      expect.objectContaining({ field: "lastName", oldValue: person.lastName || null, newValue: "Quattlebaum" }),
    ]);
    const [entry] = await auditOf(account.id);
    expect(entry).toMatchObject({ action: "account.name_changed", details: { personId: person.id, fields: ["firstName", "lastName"] } });
    expect(JSON.stringify(entry)).not.toMatch(/Wilhelmina|Quattlebaum/);
    expect(await getAccountProfileById(db, { accountId: account.id })).toMatchObject({ person: { firstName: "Wilhelmina", lastName: "Quattlebaum" } });
  });

  it("gives an account without a person a staff person", async () => {
    const { account } = await signedInAccount();
    await db.update(accounts).set({ personId: null }).where(eq(accounts.id, account.id));
    const result = await run(changeAccountName, account.id, { firstName: "Ada", lastName: "" });
    expect(result).toMatchObject({ ok: true });
    const [linked] = await db.select().from(accounts).where(eq(accounts.id, account.id));
    const [person] = await db.select().from(people).where(eq(people.id, linked.personId!));
    expect(person).toMatchObject({ firstName: "Ada", lastName: "", kind: "staff", email: account.email });
  });

  it("changes only its own account's person", async () => {
    const { account } = await signedInAccount();
    const stranger = await createPerson(db, { firstName: "Untouched" });
    expect(await run(changeAccountName, account.id, { firstName: "Mine", lastName: "Only", personId: stranger.id })).toMatchObject({ ok: true });
    expect((await db.select().from(people).where(eq(people.id, stranger.id)))[0].firstName).toBe("Untouched");
  });

  it.each([
    ["an empty first name", { firstName: "   ", lastName: "X" }, "firstName"],
    ["a huge first name", { firstName: "x".repeat(101), lastName: "X" }, "firstName"],
    ["a NUL byte", { firstName: "A\u0000", lastName: "X" }, "firstName"],
    ["a number", { firstName: "A", lastName: 7 }, "lastName"],
  ])("refuses %s naming the field", async (_name, input, field) => {
    const { account, person } = await signedInAccount();
    expect(await run(changeAccountName, account.id, input)).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: expect.any(Array) } });
    expect(await historyOf(person.id)).toEqual([]);
  });

  it("refuses to rename an anonymised person", async () => {
    const { account, person } = await signedInAccount();
    await db.update(people).set({ anonymisedAt: new Date() }).where(eq(people.id, person.id));
    expect(await run(changeAccountName, account.id, { firstName: "New", lastName: "Name" })).toMatchObject({ ok: false, code: "rule_violation", fieldErrors: { firstName: expect.any(Array) } });
  });

  it("refuses a caller without a session", async () => {
    expect(await runOperation(changeAccountName, { db, accountId: null, input: { firstName: "A", lastName: "B" } })).toMatchObject({ ok: false, code: "unauthorized" });
  });
});
