import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { DomainError } from "../errors";

export async function countActiveSettingsAdmins(tx: DbOrTx) {
  const [row] = rows<{ n: number }>(
    await tx.execute(sql`
      select count(distinct a.id)::int as n
      from accounts a join account_roles ar on ar.account_id = a.id join roles r on r.id = ar.role_id
      where a.active and 'admin.settings' = any(r.permissions)`),
  );
  return row?.n ?? 0;
}

/**
 * Called after a change inside its transaction: if no active account holds
 * admin.settings any more, the change is refused and rolled back, so nobody can lock
 * the organisation out of its own settings.
 */
export async function assertSettingsAdminRemains(tx: DbOrTx) {
  if ((await countActiveSettingsAdmins(tx)) === 0) {
    throw new DomainError("rule_violation", "This would leave no active account that can manage settings (admin.settings). Give another account that permission first.");
  }
}
