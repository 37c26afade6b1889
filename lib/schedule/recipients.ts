import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { Permission } from "@/lib/permissions";

export type Recipient = { accountId: number; email: string };

/** Active accounts whose roles grant `permission`, read fresh (roles are editable). */
export async function listAccountsWithPermission(tx: DbOrTx, permission: Permission): Promise<Recipient[]> {
  return rows<{ id: number; email: string }>(await tx.execute(sql`
    select a.id, a.email from accounts a
    where a.active and exists (
      select 1 from account_roles ar join roles r on r.id = ar.role_id
      where ar.account_id = a.id and ${permission} = any(r.permissions))
    order by a.id`)).map((r) => ({ accountId: Number(r.id), email: r.email }));
}

/** The account, if it is active and still holds `permission`. */
export async function findAccountWithPermission(tx: DbOrTx, accountId: number, permission: Permission): Promise<Recipient | null> {
  const [row] = rows<{ id: number; email: string }>(await tx.execute(sql`
    select a.id, a.email from accounts a
    where a.id = ${accountId} and a.active and exists (
      select 1 from account_roles ar join roles r on r.id = ar.role_id
      where ar.account_id = a.id and ${permission} = any(r.permissions))`));
  return row ? { accountId: Number(row.id), email: row.email } : null;
}
