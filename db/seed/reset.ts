import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";

// Tables whose rows come from the migrations and survive a --force reseed.
const KEPT_TABLES = ["roles", "privacy_settings"];

export class SeedRefusedError extends Error {}

/** Rows already present in the tables the seed fills with fixed ids. */
export async function countExistingRows(db: DbOrTx) {
  const [row] = rows<{ people: number; accounts: number; tickets: number; organisations: number }>(await db.execute(sql`
    select (select count(*) from people)::int as people, (select count(*) from accounts)::int as accounts,
           (select count(*) from tickets)::int as tickets, (select count(*) from organisations)::int as organisations`));
  return row;
}

export async function assertEmpty(db: DbOrTx) {
  const existing = await countExistingRows(db);
  const held = Object.entries(existing).filter(([, n]) => n > 0);
  if (held.length > 0) {
    throw new SeedRefusedError(
      `The database already holds data (${held.map(([table, n]) => `${n} ${table}`).join(", ")}); run with --force to wipe it and seed again.`,
    );
  }
}

/**
 * Empties every data table of the schema (audit entries too: TRUNCATE does not fire their
 * append-only row trigger), restarts the identity sequences and resets the privacy
 * settings to their defaults. Roles stay as the migrations (or an administrator) left them.
 */
export async function wipeData(db: DbOrTx) {
  const tables = rows<{ name: string }>(await db.execute(sql`
    select quote_ident(tablename) as name from pg_tables
    where schemaname = current_schema() and tablename not in (${sql.join(KEPT_TABLES.map((t) => sql`${t}`), sql`, `)})
    order by tablename`));
  if (tables.length > 0) await db.execute(sql.raw(`truncate ${tables.map((t) => t.name).join(", ")} restart identity cascade`));
  await db.execute(sql`delete from privacy_settings`);
  await db.execute(sql`insert into privacy_settings (id) values (1)`);
}
