import { type SQL, sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { phoneSearchForm, selectPeople, searchPeopleSchema } from "@/lib/people/search";
import type { BenchContext } from "../lib/context";
import { medianOf } from "../lib/measure";
import { pickSearchSample } from "../lib/samples";

// SPEC §9: search by e-mail, phone or IP under 50 ms. Lethe's selectPeople (the same call
// the people page and GET /api/v1/people make: first page of 25 and the total) beside a
// hand-written statement returning the same page and total with the one indexed lookup
// that the kind of term needs.

const PAGE = sql`
  select p.id, p.first_name, p.last_name, p.email, p.phone, p.external_id, p.kind, p.status,
         o.name as organisation, p.last_activity_at, p.anonymised_at, p.system, count(*) over () as total
  from people p left join organisations o on o.id = p.organisation_id`;
const ORDER = sql`order by lower(p.last_name), lower(p.first_name), p.id limit 25`;

const BASELINES: Record<string, (term: string) => SQL> = {
  "e-mail": (term) => sql`${PAGE} where lower(p.email) = ${term.toLowerCase()} ${ORDER}`,
  phone: (term) => sql`${PAGE} where regexp_replace(p.phone, '[^0-9+]', '', 'g') = ${phoneSearchForm(term)} ${ORDER}`,
  IP: (term) => sql`${PAGE} where p.id in (
      select customer_id from tickets where ip_address = ${term}
      union all select from_person_id from messages where ip_address = ${term}) ${ORDER}`,
};

async function lethe(db: Db, query: string) {
  const result = await selectPeople(db, searchPeopleSchema.parse({ query }));
  return result.rows.map((r) => Number(r.id));
}

async function handWritten(db: Db, statement: SQL) {
  return rows<{ id: number }>(await db.execute(statement)).map((r) => Number(r.id));
}

export async function run(ctx: BenchContext) {
  const db = ctx.db();
  const sample = await pickSearchSample(db);
  const terms: Record<string, string> = { "e-mail": sample.email, phone: sample.phone, IP: sample.ip };
  for (const [kind, term] of Object.entries(terms)) {
    const mine = await medianOf(ctx.args.runs, () => lethe(db, term));
    const base = await medianOf(ctx.args.runs, () => handWritten(db, BASELINES[kind](term)));
    const same = mine.value.length === base.value.length && mine.value.every((id, i) => id === base.value[i]);
    ctx.record({
      name: `search by ${kind}`,
      ms: mine.ms,
      baselineMs: base.ms,
      target: "< 50 ms",
      targetMs: 50,
      baseline: kind === "IP" ? "indexed IP lookups on tickets and messages, page + total" : `indexed ${kind} equality, page + total`,
      note: `${mine.value.length} found, median of ${ctx.args.runs}${same ? "" : `; the results differ (hand-written found ${base.value.length})`}`,
    });
  }
}
