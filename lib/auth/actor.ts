import { and, eq, gt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accountRoles, accounts, roles, sessions } from "@/db/schema";
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

/** The columns of an actor, for a query over `accounts` (one row per account). */
const actorColumns = {
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
};

type ActorRow = Omit<Actor, "permissions"> & { permissions: string[] };

function toActor(row: ActorRow | undefined): Actor | null {
  if (!row) return null;
  const known = new Set<string>(PERMISSIONS);
  return { ...row, permissions: row.permissions.filter((p): p is Permission => known.has(p)) };
}

/** The account with its permissions, read fresh from the database (never from a token). */
export async function loadActor(db: DbOrTx, accountId: number): Promise<Actor | null> {
  const found = await db.select(actorColumns).from(accounts).where(and(eq(accounts.id, accountId), eq(accounts.active, true)));
  return toActor(found[0]);
}

/**
 * The actor behind a signed-in session, in one statement: the session (by the hash of its
 * id, not expired) joined to its active account with the account's permissions. Every
 * page and action starts here, so it is one round trip rather than a session look-up
 * followed by an account read.
 */
export async function loadActorBySessionHash(db: DbOrTx, tokenHash: string): Promise<Actor | null> {
  const found = await db.select(actorColumns).from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, sql`now()`), eq(accounts.active, true)));
  return toActor(found[0]);
}
