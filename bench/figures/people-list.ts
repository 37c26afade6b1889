import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { selectPeople, searchPeopleSchema } from "@/lib/people/search";
import type { BenchContext } from "../lib/context";
import { medianOf } from "../lib/measure";

// The server-side data work of GET /people without rendering: the first page of the list
// (25 people by name, with organisation) and the total, as the page asks selectPeople.

export async function run(ctx: BenchContext) {
  const db = ctx.db();
  const mine = await medianOf(ctx.args.runs, () => selectPeople(db, searchPeopleSchema.parse({})));
  const base = await medianOf(ctx.args.runs, async () => {
    const [page, total] = await Promise.all([
      db.execute(sql`
        select p.id, p.first_name, p.last_name, p.email, p.phone, p.external_id, p.kind, p.status,
               o.name as organisation, p.last_activity_at, p.anonymised_at, p.system
        from people p left join organisations o on o.id = p.organisation_id
        order by lower(p.last_name), lower(p.first_name), p.id limit 25`),
      db.execute(sql`select count(*)::int as total from people`),
    ]);
    return { rows: rows(page), total: rows<{ total: number }>(total)[0].total };
  });
  ctx.record({
    name: "people list page 1 (query only)",
    ms: mine.ms,
    baselineMs: base.ms,
    baseline: "page of 25 by name + count(*), two statements in parallel",
    note: `${mine.value.total.toLocaleString("en")} people listed, median of ${ctx.args.runs}`,
  });
}
