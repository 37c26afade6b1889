import { and, countDistinct, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accountRoles, accounts, roles } from "@/db/schema";
import { DomainError } from "../errors";

/** A role (joined as `roles`) that grants the settings permission. */
export const grantsSettings = sql`'admin.settings' = any(${roles.permissions})`;

/**
 * Serialises every change that can take admin.settings away from an account (role
 * edits, role deletion, an account's roles or deactivation, deleting a person with an
 * account). Without it two transactions can each remove the other administrator: each
 * counts the other one as still there, both commit, and nobody is left. Held until the
 * transaction ends; taking it again in the same transaction is free.
 */
export async function lockSettingsAdmins(tx: DbOrTx) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('lethe:settings-admins'))`);
}

export async function countActiveSettingsAdmins(tx: DbOrTx) {
  const [row] = await tx.select({ n: countDistinct(accounts.id) }).from(accounts)
    .innerJoin(accountRoles, eq(accountRoles.accountId, accounts.id)).innerJoin(roles, eq(roles.id, accountRoles.roleId))
    .where(and(eq(accounts.active, true), grantsSettings));
  return row?.n ?? 0;
}

/**
 * Called after a change inside its transaction: if no active account holds
 * admin.settings any more, the change is refused and rolled back, so nobody can lock
 * the organisation out of its own settings. The count runs after the lock, so under
 * READ COMMITTED it sees every change committed by a transaction that held it before.
 */
export async function assertSettingsAdminRemains(tx: DbOrTx) {
  await lockSettingsAdmins(tx);
  if ((await countActiveSettingsAdmins(tx)) === 0) {
    throw new DomainError("rule_violation", "This would leave no active account that can manage settings (admin.settings). Give another account that permission first.");
  }
}
