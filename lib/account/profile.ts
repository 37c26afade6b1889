import { and, eq, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { accounts, fieldHistory, people, sessions } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { releaseSignInAttempt, reserveSignInAttempt, signInKeys } from "@/lib/auth/rate-limit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { accountEmailSchema, accountNameSchema, accountPasswordSchema, keepSessionSchema } from "./schemas";

// One's own account (SPEC §12, /account): every signed-in account corrects its name and
// e-mail address and changes its password, and nobody else's.
//
// The name is the linked person's first and last name (an account is a staff person's way
// in; the profile, the field history and the exports already read the person). An account
// without a person (one created before people were linked, or whose person was deleted)
// gets a staff person when it first saves its name, as account:create makes one.
//
// The e-mail address and the password are the account's own columns: their change needs the
// current password, ends the account's other sessions and leaves an audit entry naming what
// changed, never the address, the password or its hash. The address is also the linked
// person's field (with its field history) where the person's was the same or empty; a
// person's different address is theirs to keep.
//
// The current password is counted against the sign-in limit of the account's address
// (lib/auth/rate-limit.ts): the form is no second way to guess a password, and a guess here
// costs the same budget as one at the sign-in page.

/** What the account page shows of the signed-in account. */
export async function getAccountProfileById(db: DbOrTx, { accountId }: { accountId: number }) {
  const [row] = await db
    .select({
      email: accounts.email,
      personId: people.id,
      firstName: people.firstName,
      lastName: people.lastName,
      anonymisedAt: people.anonymisedAt,
    })
    .from(accounts)
    .leftJoin(people, eq(people.id, accounts.personId))
    .where(eq(accounts.id, accountId));
  if (!row) return null;
  return {
    email: row.email,
    person: row.personId == null ? null : { id: row.personId, firstName: row.firstName ?? "", lastName: row.lastName ?? "", anonymised: row.anonymisedAt != null },
  };
}

export const changeAccountName = defineOperation({
  name: "changeAccountName",
  permission: "signed-in",
  input: accountNameSchema,
  async run({ tx, actor, input }) {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, actor.accountId)).for("update");
    if (!account) throw new DomainError("not_found", `Account ${actor.accountId} does not exist.`);
    const [person] = account.personId == null ? [] : await tx.select().from(people).where(eq(people.id, account.personId)).for("update");
    if (!person) {
      const [created] = await tx.insert(people).values({ firstName: input.firstName, lastName: input.lastName, email: account.email, kind: "staff" }).returning({ id: people.id });
      await tx.update(accounts).set({ personId: created.id }).where(eq(accounts.id, account.id));
      const fields = [["firstName", input.firstName], ["lastName", input.lastName], ["email", account.email]] as const;
      await tx.insert(fieldHistory).values(fields.filter(([, v]) => v !== "").map(([field, newValue]) => ({ personId: created.id, accountId: actor.accountId, field, oldValue: null, newValue })));
      await recordAudit(tx, { actorAccountId: actor.accountId, action: "account.name_changed", targetType: "account", targetId: account.id, details: { personId: created.id, personCreated: true } });
      return { personId: created.id, changed: ["firstName", "lastName"] };
    }
    if (person.anonymisedAt || person.system) {
      throw new DomainError("rule_violation", "The person of this account can no longer be edited.", { firstName: ["can no longer be changed"] });
    }
    const changes = (["firstName", "lastName"] as const)
      .filter((field) => person[field] !== input[field])
      .map((field) => ({ field, oldValue: person[field] || null, newValue: input[field] || null }));
    if (!changes.length) return { personId: person.id, changed: [] as string[] };
    await tx.update(people).set({ firstName: input.firstName, lastName: input.lastName, updatedAt: new Date() }).where(eq(people.id, person.id));
    await tx.insert(fieldHistory).values(changes.map((c) => ({ ...c, personId: person.id, accountId: actor.accountId })));
    const changed = changes.map((c) => c.field);
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "account.name_changed", targetType: "account", targetId: account.id, details: { personId: person.id, fields: changed } });
    return { personId: person.id, changed };
  },
});

export const changeAccountEmail = defineOperation({
  name: "changeAccountEmail",
  permission: "signed-in",
  input: accountEmailSchema.extend(keepSessionSchema.shape),
  // The wrong-password count must outlive a refusal, so it is written outside the change's transaction.
  transactional: false,
  async run({ db, actor, input }) {
    const account = await checkCurrentPassword(db, actor, input.currentPassword);
    if (input.email === account.email) return { email: account.email, changed: false, sessionsEnded: 0 };
    return withUniqueEmail(() => db.transaction(async (tx) => {
      const [taken] = await tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.email, input.email), ne(accounts.id, actor.accountId)));
      if (taken) throw emailTaken();
      const [before] = await tx.select().from(accounts).where(eq(accounts.id, actor.accountId)).for("update");
      await tx.update(accounts).set({ email: input.email }).where(eq(accounts.id, actor.accountId));
      let personUpdated = false;
      if (before.personId != null) {
        const [person] = await tx.select().from(people).where(eq(people.id, before.personId)).for("update");
        const same = person && !person.anonymisedAt && !person.system && (person.email == null || person.email.toLowerCase() === before.email.toLowerCase());
        if (same && person.email !== input.email) {
          await tx.update(people).set({ email: input.email, updatedAt: new Date() }).where(eq(people.id, person.id));
          await tx.insert(fieldHistory).values({ personId: person.id, accountId: actor.accountId, field: "email", oldValue: person.email, newValue: input.email });
          personUpdated = true;
        }
      }
      const sessionsEnded = await endOtherSessions(tx, actor.accountId, input.keepSessionHash ?? null);
      await recordAudit(tx, { actorAccountId: actor.accountId, action: "account.email_changed", targetType: "account", targetId: actor.accountId, details: { sessionsEnded, personUpdated } });
      return { email: input.email, changed: true, sessionsEnded };
    }));
  },
});

export const changeAccountPassword = defineOperation({
  name: "changeAccountPassword",
  permission: "signed-in",
  input: accountPasswordSchema.safeExtend(keepSessionSchema.shape),
  transactional: false,
  async run({ db, actor, input }) {
    await checkCurrentPassword(db, actor, input.currentPassword);
    const passwordHash = await hashPassword(input.newPassword);
    return db.transaction(async (tx) => {
      await tx.update(accounts).set({ passwordHash }).where(eq(accounts.id, actor.accountId));
      const sessionsEnded = await endOtherSessions(tx, actor.accountId, input.keepSessionHash ?? null);
      await recordAudit(tx, { actorAccountId: actor.accountId, action: "account.password_changed", targetType: "account", targetId: actor.accountId, details: { sessionsEnded } });
      return { sessionsEnded };
    });
  },
});

/**
 * The account, once its holder has typed its current password. Each try is reserved under
 * the address's sign-in key before the hash is verified; a locked key refuses at once.
 */
async function checkCurrentPassword(db: Db, actor: Actor, password: string) {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, actor.accountId));
  if (!account) throw new DomainError("unauthorized");
  const keys = signInKeys(account.email.toLowerCase(), null);
  if (!(await reserveSignInAttempt(db, keys))) {
    throw new DomainError("rate_limited", "Too many wrong passwords. Try again in a few minutes.", { currentPassword: ["was entered wrongly too often; try again in a few minutes"] });
  }
  if (!(await verifyPassword(account.passwordHash, password))) {
    throw new DomainError("invalid_input", "The current password is not correct.", { currentPassword: ["is not correct"] });
  }
  await releaseSignInAttempt(db, keys);
  return account;
}

/** Ends every session of the account but the one named (the one the change is made from). */
async function endOtherSessions(tx: DbOrTx, accountId: number, keepSessionHash: string | null) {
  const ended = await tx.delete(sessions)
    .where(and(eq(sessions.accountId, accountId), keepSessionHash ? ne(sessions.tokenHash, keepSessionHash) : sql`true`))
    .returning({ tokenHash: sessions.tokenHash });
  return ended.length;
}

const emailTaken = () => new DomainError("conflict", "Another account already uses this e-mail address.", { email: ["is already taken"] });

/** Two accounts claiming one address at once: the unique index refuses the second, named like the check. */
async function withUniqueEmail<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    const code = (error as { code?: unknown; cause?: { code?: unknown } })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
    if (code === "23505") throw emailTaken();
    throw error;
  }
}
