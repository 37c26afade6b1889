import { and, asc, eq, exists, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accountRoles, accounts, roles } from "@/db/schema";
import { accountLocaleSql } from "@/lib/auth/actor";
import type { Recipient } from "@/lib/email/recipient-language";
import type { Permission } from "@/lib/permissions";

// Who the annual cycle's and the retention rules' e-mails go to, read with the language
// each of them reads in, in the same query.

function recipients(tx: DbOrTx, permission: Permission, where?: SQL) {
  const holdsPermission = exists(tx.select({ one: sql`1` }).from(accountRoles)
    .innerJoin(roles, eq(roles.id, accountRoles.roleId))
    .where(and(eq(accountRoles.accountId, accounts.id), sql`${permission} = any(${roles.permissions})`)));
  return tx.select({ accountId: accounts.id, email: accounts.email, locale: accountLocaleSql }).from(accounts)
    .where(and(eq(accounts.active, true), holdsPermission, where));
}

/** Active accounts whose roles grant `permission`, read fresh (roles are editable). */
export async function listAccountsWithPermission(tx: DbOrTx, permission: Permission): Promise<Recipient[]> {
  return recipients(tx, permission).orderBy(asc(accounts.id));
}

/** The account, if it is active and still holds `permission`. */
export async function findAccountWithPermission(tx: DbOrTx, accountId: number, permission: Permission): Promise<Recipient | null> {
  const [row] = await recipients(tx, permission, eq(accounts.id, accountId));
  return row ?? null;
}
