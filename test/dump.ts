import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { listTextColumns } from "@/lib/privacy/erasure/verify";

/**
 * Every text-like value of every table (the catalog decides what counts: lib/privacy/erasure/verify.ts),
 * one line per row as "table: value | value | …", for tests that look for what an erasure must leave nowhere.
 */
export async function dumpTextColumns(db: DbOrTx): Promise<string[]> {
  const out: string[] = [];
  for (const t of await listTextColumns(db)) {
    const cols = sql.join(t.columns.map((c) => sql`coalesce(${sql.identifier(c.column)}::text, '')`), sql`, `);
    for (const r of rows<{ v: string }>(await db.execute(sql`select concat_ws(' | ', ${cols}) as v from ${sql.identifier(t.table)}`))) {
      out.push(`${t.table}: ${r.v}`);
    }
  }
  return out;
}
