import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";
import { accountRoles, accounts, people, roles } from "@/db/schema";
import { recordAudit } from "../audit";
import { hashPassword } from "../auth/password";
import { DomainError } from "../errors";

export const newAccountSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("must be a valid e-mail address")).pipe(z.string().max(320)),
  role: z.string().trim().min(1, "is required"),
  password: z.string().min(12, "must be at least 12 characters").max(1000),
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

export async function listAccounts(db: DbOrTx) {
  return rows<AccountRow>(
    await db.execute(sql`
      select a.id, a.email, a.active, a.last_sign_in_at as "lastSignInAt", a.person_id as "personId",
             array(select ar.role_id from account_roles ar where ar.account_id = a.id order by ar.role_id) as "roleIds",
             array(select r.name from account_roles ar join roles r on r.id = ar.role_id where ar.account_id = a.id order by r.name) as roles
      from accounts a order by a.email`),
  );
}

export async function listRoles(db: DbOrTx) {
  return rows<{ id: number; name: string; description: string; permissions: string[]; accounts: number }>(
    await db.execute(sql`
      select r.id, r.name, r.description, r.permissions,
             (select count(*)::int from account_roles ar where ar.role_id = r.id) as accounts
      from roles r order by r.name`),
  );
}

