import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { accountRoles, accounts, people, roles } from "@/db/schema";
import { newPasswordSchema } from "../account/schemas";
import { recordAudit } from "../audit";
import { hashPassword } from "../auth/password";
import { DomainError } from "../errors";

export const newAccountSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("must be a valid e-mail address")).pipe(z.string().max(320)),
  role: z.string().trim().min(1, "is required"),
  password: newPasswordSchema,
  firstName: z.string().trim().max(100).default(""),
  lastName: z.string().trim().max(100).default(""),
});

/** Creates a staff person and their account with one role (first run of an install). */
export async function createAccountWithRole(tx: DbOrTx, input: z.output<typeof newAccountSchema>, actorAccountId: number | null) {
  const [role] = await tx.select().from(roles).where(eq(roles.name, input.role));
  if (!role) {
    const names = (await tx.select({ name: roles.name }).from(roles)).map((r) => r.name).join(", ");
    throw new DomainError("invalid_input", `Unknown role “${input.role}”. Roles: ${names}.`, { role: ["does not exist"] });
  }
  const [taken] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, input.email));
  if (taken) throw new DomainError("conflict", `An account for ${input.email} already exists.`, { email: ["is already taken"] });
  const [person] = await tx
    .insert(people)
    .values({ firstName: input.firstName || input.email.split("@")[0], lastName: input.lastName, email: input.email, kind: "staff" })
    .returning();
  const [account] = await tx
    .insert(accounts)
    .values({ email: input.email, passwordHash: await hashPassword(input.password), personId: person.id })
    .returning();
  await tx.insert(accountRoles).values({ accountId: account.id, roleId: role.id });
  await recordAudit(tx, { actorAccountId, action: "account.created", targetType: "account", targetId: account.id, details: { role: role.name } });
  return { account, role };
}

export type AccountRow = { id: number; email: string; active: boolean; lastSignInAt: Date | null; personId: number | null; roleIds: number[]; roles: string[] };

export async function listAccounts(db: DbOrTx): Promise<AccountRow[]> {
  const [found, held] = await Promise.all([
    db.select({
      id: accounts.id, email: accounts.email, active: accounts.active, lastSignInAt: accounts.lastSignInAt, personId: accounts.personId,
    }).from(accounts).orderBy(asc(accounts.email)),
    // Role names in the database's collation, as the role list sorts them.
    db.select({ accountId: accountRoles.accountId, roleId: accountRoles.roleId, name: roles.name })
      .from(accountRoles).innerJoin(roles, eq(roles.id, accountRoles.roleId)).orderBy(asc(roles.name)),
  ]);
  return found.map((a) => {
    const own = held.filter((r) => r.accountId === a.id);
    return { ...a, roleIds: own.map((r) => r.roleId).sort((x, y) => x - y), roles: own.map((r) => r.name) };
  });
}

export async function listRoles(db: DbOrTx) {
  return db.select({
    id: roles.id, name: roles.name, description: roles.description, permissions: roles.permissions,
    accounts: db.$count(accountRoles, eq(accountRoles.roleId, roles.id)),
  }).from(roles).orderBy(asc(roles.name));
}
