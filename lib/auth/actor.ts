import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accountRoles, accounts, roles } from "@/db/schema";
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/locales";
import { type Permission, PERMISSIONS } from "../permissions";

export type Actor = {
  accountId: number;
  email: string;
  personId: number | null;
  roles: string[];
  permissions: Permission[];
  /** The account's language, or the organisation's where it chose none. */
  locale: Locale;
  /** The organisation's time zone: every date Lethe shows is written in it. */
  timeZone: string;
};

/**
 * The account's language as a column: the one it chose, else the organisation's. Read with
 * the account wherever it is needed (the signed-in actor, an e-mail's recipients).
 */
export const accountLocaleSql = sql<Locale>`coalesce(${accounts.locale}, (select language from privacy_settings where id = 1), ${DEFAULT_LOCALE})`;

/** The account with its permissions, read fresh from the database (never from a token). */
export async function loadActor(db: DbOrTx, accountId: number): Promise<Actor | null> {
  const found = await db
    .select({
      accountId: accounts.id,
      email: accounts.email,
      personId: accounts.personId,
      roles: sql<string[]>`array(
        select r.name from ${accountRoles} ar join ${roles} r on r.id = ar.role_id
        where ar.account_id = "accounts"."id" order by r.name)`,
      permissions: sql<string[]>`array(
        select distinct p from ${accountRoles} ar join ${roles} r on r.id = ar.role_id, unnest(r.permissions) p
        where ar.account_id = "accounts"."id")`,
      locale: accountLocaleSql,
      timeZone: sql<string>`coalesce((select time_zone from privacy_settings where id = 1), 'Europe/Berlin')`,
    })
    .from(accounts)
    .where(and(eq(accounts.id, accountId), eq(accounts.active, true)));
  const row = found[0];
  if (!row) return null;
  const known = new Set<string>(PERMISSIONS);
  return { ...row, permissions: row.permissions.filter((p): p is Permission => known.has(p)) };
}
