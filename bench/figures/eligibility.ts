import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { listReviewPage } from "@/lib/privacy/eligibility/review-list";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import type { BenchContext } from "../lib/context";
import { eligibleByHand } from "../lib/eligibility-sql";
import { medianOf } from "../lib/measure";

// SPEC §9: eligibility of all people under 200 ms; a review-list page under 100 ms.
// Lethe's listEligiblePersonIds (every eligible id, as the bulk run and the annual run
// select them) and listReviewPage (first page of 50 by name, with the total), each beside
// the hand-written statements of lib/eligibility-sql.ts.

export async function run(ctx: BenchContext) {
  const db = ctx.db();
  const settings = await getPrivacySettings(db);
  const now = new Date();
  const where = eligibleByHand(settings, now);

  const mine = await medianOf(ctx.args.runs, () => listEligiblePersonIds(db, { settings, now }));
  const base = await medianOf(ctx.args.runs, async () =>
    rows<{ id: number }>(await db.execute(sql`select p.id from people p where ${where} order by p.id`)).map((r) => Number(r.id)));
  const same = mine.value.length === base.value.length && mine.value.every((id, i) => id === base.value[i]);
  ctx.record({
    name: "eligibility of all people",
    ms: mine.ms,
    baselineMs: base.ms,
    target: "< 200 ms and ≤ 1× hand-written SQL",
    targetMs: 200,
    targetRatio: 1,
    baseline: "the eleven rules as one hand-written anti-join statement",
    note: `${mine.value.length.toLocaleString("en")} eligible (${((mine.value.length / ctx.args.people) * 100).toFixed(1)}%), median of ${ctx.args.runs}${same ? "; same ids" : `; the hand-written SQL found ${base.value.length.toLocaleString("en")}`}`,
  });

  const pageSize = 50;
  const review = await medianOf(ctx.args.runs, () => listReviewPage(db, { settings, now, page: 1, pageSize }));
  const reviewBase = await medianOf(ctx.args.runs, () => Promise.all([
    db.execute(sql`
      select p.id, p.first_name, p.last_name, p.kind, o.name as organisation, p.imported, p.last_activity_at, p.leaving_date
      from people p left join organisations o on o.id = p.organisation_id
      where ${where} order by lower(p.last_name), lower(p.first_name), p.id limit ${pageSize}`),
    db.execute(sql`select count(*)::int as n from people p where ${where}`),
  ]));
  ctx.record({
    name: "review list, first page",
    ms: review.ms,
    baselineMs: reviewBase.ms,
    target: "< 100 ms",
    targetMs: 100,
    baseline: `first ${pageSize} eligible by name + count, two hand-written statements in parallel`,
    note: `${review.value.rows.length} rows of ${review.value.total.toLocaleString("en")}, median of ${ctx.args.runs}`,
  });
}
