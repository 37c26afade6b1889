import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";

// The hand-written baseline of the residue scan: for every table, one statement that
// reads each row's text columns once, cuts the text into tokens and looks each token up
// in the set of former identifiers (a hashed `= any`), plus phone numbers however they
// are written (the digits of every number-like run). Finds whole-token occurrences of
// e-mails, external ids and phone numbers, as lib/privacy/erasure/verify.ts does.

export async function scanResidueByHand(db: Db, values: string[]) {
  const tokens = [...new Set(values.map((v) => v.trim().toLowerCase()).filter((v) => v.length >= 5 && !/^[+0-9 ()/.-]+$/.test(v)))];
  const digits = [...new Set(values.map((v) => v.replace(/[^0-9]/g, "")).filter((d, i) => d.length >= 7 && /^[+0-9 ()/.-]+$/.test(values[i])))];
  const columns = rows<{ table: string; columns: string }>(await db.execute(sql`
    select c.relname as table, string_agg(format('%I::text', a.attname), ', ' order by a.attnum) as columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_type t on t.oid = a.atttypid left join pg_type et on et.oid = t.typelem and t.typcategory = 'A'
    where n.nspname = 'public' and c.relkind = 'r'
      and (t.typcategory = 'S' or t.typname in ('json', 'jsonb') or (t.typcategory = 'A' and (et.typcategory = 'S' or et.typname in ('json', 'jsonb'))))
    group by c.relname order by c.relname`));
  const T = sql`${`{${tokens.map((t) => `"${t.replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[]`;
  const D = sql`${`{${digits.join(",")}}`}::text[]`;
  let found = 0;
  for (const c of columns) {
    const [r] = rows<{ n: number }>(await db.execute(sql`
      select count(*)::int as n from (select lower(concat_ws(' ', ${sql.raw(c.columns)})) as txt from ${sql.identifier(c.table)}) r
      where exists (select 1 from regexp_split_to_table(r.txt, '[^a-z0-9@._%+-]+') tok where tok = any(${T}) or rtrim(tok, '.') = any(${T}))
        or (r.txt ~ '[0-9]{2}' and exists (select 1 from regexp_matches(r.txt, '(\\+?[0-9][0-9 ()/.-]{5,}[0-9])', 'g') m
                                           where regexp_replace(m[1], '[^0-9]', '', 'g') = any(${D})))`));
    found += Number(r.n);
  }
  return { found, tables: columns.length };
}
