import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import {
  countOpenRequests, countRecords, listActivityByPermissions, listMonthlyCounts, overviewChartsFor, seriesFor,
} from "@/lib/overview";
import { PERMISSIONS } from "@/lib/permissions";
import { countOpenMentions } from "@/lib/privacy/mentions/review";
import { getCycleTimeline } from "@/lib/schedule/cycle";
import type { BenchContext } from "../lib/context";
import { medianOf } from "../lib/measure";

// Issue 14, "Statistics kept": the server-side data work of the overview (GET /) for an
// administrator, who sees every part of it, through the page's own read functions run as
// the page runs them (at once): the records (people counted, tickets from the kept
// monthly counts, tasks queued and running), the activity stream, the name mentions under
// review, the open requests by due date and status, the annual cycle, and the 24 months
// of tickets, anonymised tickets, anonymisations and deletions (overview_month_counts,
// kept by migration 0018's triggers). Beside it, the same numbers by hand-written SQL over
// the tables themselves — what the page would cost without the kept counts: count(*) of
// people and tickets, the 24 months of tickets joined to their customers, the erasure
// ledger grouped by month. A second figure isolates the monthly statistics.

function monthlyByHand(db: Db, timeZone: string) {
  return db.execute(sql`
    with months as (
      select (date_trunc('month', now() at time zone ${timeZone}) - make_interval(months => g))::date as month from generate_series(0, 23) g),
    t as (
      select date_trunc('month', t.created_at at time zone ${timeZone})::date as month,
        count(*)::int as tickets, count(*) filter (where t.anonymised_at is not null or c.anonymised_at is not null)::int as anonymised
      from tickets t left join people c on c.id = t.customer_id
      where t.created_at >= (select min(month) from months)::timestamp at time zone ${timeZone}
      group by 1),
    l as (
      select date_trunc('month', completed_at at time zone ${timeZone})::date as month,
        count(*) filter (where action = 'anonymise')::int as anonymisations, count(*) filter (where action = 'delete')::int as deletions
      from erasure_ledger where not replay and completed_at >= (select min(month) from months)::timestamp at time zone ${timeZone}
      group by 1)
    select m.month, coalesce(t.tickets, 0) as tickets, coalesce(t.anonymised, 0) as anonymised,
      coalesce(l.anonymisations, 0) as anonymisations, coalesce(l.deletions, 0) as deletions
    from months m left join t using (month) left join l using (month) order by m.month`);
}

function pageByHand(db: Db, timeZone: string) {
  return Promise.all([
    db.execute(sql`select (select count(*) from people)::int as people, (select count(*) from tickets)::int as tickets,
      (select count(*) from privacy_tasks where status = 'queued')::int as queued, (select count(*) from privacy_tasks where status = 'running')::int as running`),
    db.execute(sql`select e.*, a.email from activity_events e left join accounts a on a.id = e.actor_account_id order by e.created_at desc, e.id desc limit 20`),
    db.execute(sql`select count(*)::int from name_mentions where status = 'open'`),
    db.execute(sql`select status, count(*)::int, count(*) filter (where due_at < (now() at time zone ${timeZone})::date)::int as overdue
      from privacy_requests where status in ('awaiting_identity', 'open', 'extended') group by status`),
    db.execute(sql`select * from annual_cycle_steps order by cycle_year desc limit 8`),
    monthlyByHand(db, timeZone),
  ]);
}

export async function run(ctx: BenchContext) {
  const db = ctx.db();
  const [{ time_zone: timeZone }] = rows<{ time_zone: string }>(await db.execute(sql`select time_zone from privacy_settings where id = 1`));
  const permissions = [...PERMISSIONS];
  const charts = overviewChartsFor(permissions);
  const reads = () => {
    const now = new Date();
    return Promise.all([
      countRecords(db),
      listActivityByPermissions(db, { permissions }),
      countOpenMentions(db, { permissions }),
      countOpenRequests(db, { now, timeZone }),
      getCycleTimeline(db, { now }),
      listMonthlyCounts(db, { now, series: seriesFor(charts) }),
    ]);
  };
  const mine = await medianOf(ctx.args.runs, reads);
  const base = await medianOf(ctx.args.runs, () => pageByHand(db, timeZone));
  const [records, , , , , statistics] = mine.value;
  const sum = (key: "tickets" | "tickets_anonymised" | "anonymisations" | "deletions") => statistics.months.reduce((n, m) => n + m[key], 0);
  const [{ ledger }] = rows<{ ledger: number }>(await db.execute(sql`select count(*)::int as ledger from erasure_ledger`));
  ctx.record({
    name: "overview server time (every read of the page, administrator)",
    ms: mine.ms,
    baselineMs: base.ms,
    target: "< 100 ms",
    targetMs: 100,
    baseline: "the same numbers by hand-written SQL over the tables (count(*) of people and tickets, 24 months of tickets joined to their customers, the ledger by month), in parallel",
    note: `${records.people.toLocaleString("en")} people, ${records.tickets.toLocaleString("en")} tickets; last 24 months: ${sum("tickets").toLocaleString("en")} tickets, ${sum("tickets_anonymised").toLocaleString("en")} anonymised, ${sum("anonymisations").toLocaleString("en")} anonymisations, ${sum("deletions").toLocaleString("en")} deletions (${ledger.toLocaleString("en")} ledger rows); reads run at once as the page runs them; median of ${ctx.args.runs}`,
  });

  const monthly = await medianOf(ctx.args.runs, () => listMonthlyCounts(db, { now: new Date(), series: seriesFor(charts) }));
  const monthlyBase = await medianOf(ctx.args.runs, () => monthlyByHand(db, timeZone));
  const byHand = rows<{ tickets: number; anonymised: number; anonymisations: number; deletions: number }>(monthlyBase.value);
  const same = byHand.length === 24 && byHand.every((r, i) => {
    const m = monthly.value.months[i];
    return Number(r.tickets) === m.tickets && Number(r.anonymised) === m.tickets_anonymised
      && Number(r.anonymisations) === m.anonymisations && Number(r.deletions) === m.deletions;
  });
  ctx.record({
    name: "overview statistics, 24 months (kept counts)",
    ms: monthly.ms,
    baselineMs: monthlyBase.ms,
    baseline: "one hand-written group-by over tickets joined to their customers and over the erasure ledger, for the same 24 months",
    note: `${same ? "the same numbers" : "NUMBERS DIFFER"} as the group-by; median of ${ctx.args.runs}`,
  });
}
