import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { textArrayLiteral } from "@/db/sql";
import type { MonthCountSeries } from "@/db/schema";

// The statistics that anonymisation keeps (SPEC §12), read from overview_month_counts:
// the database keeps those counts exact with statement-level triggers on tickets, people
// and the erasure ledger (migration 0018), so a page load reads at most 4 × 24 rows
// instead of counting and joining 300,000 tickets (bench: "overview server time").

export const STATISTICS_MONTHS = 24;

export type MonthlyCounts = { month: string } & Record<MonthCountSeries, number>;
export type MonthlyStatistics = { timeZone: string; months: MonthlyCounts[] };

/**
 * The last `months` calendar months up to the one holding `now`, oldest first, each with
 * the counts of the series asked for (the others read 0). The months are those of the
 * organisation's time zone as the database counts in it (lethe_statistics_time_zone), so
 * that the page and the counts cannot disagree on where a month begins.
 */
export async function listMonthlyCounts(
  db: DbOrTx, { now, series, months = STATISTICS_MONTHS }: { now: Date; series: readonly MonthCountSeries[]; months?: number },
): Promise<MonthlyStatistics> {
  const result = rows<{ month: string; time_zone: string } & Record<MonthCountSeries, number>>(await db.execute(sql`
    with zone as (select lethe_statistics_time_zone() as name),
    this_month as (select date_trunc('month', ${now.toISOString()}::timestamptz at time zone zone.name)::date as month from zone),
    months as (
      select (this_month.month - make_interval(months => g))::date as month
      from this_month, generate_series(0, ${months - 1}::int) g)
    select to_char(m.month, 'YYYY-MM-DD') as month, (select name from zone) as time_zone,
      coalesce(sum(c.count) filter (where c.series = 'tickets'), 0)::int as tickets,
      coalesce(sum(c.count) filter (where c.series = 'tickets_anonymised'), 0)::int as tickets_anonymised,
      coalesce(sum(c.count) filter (where c.series = 'anonymisations'), 0)::int as anonymisations,
      coalesce(sum(c.count) filter (where c.series = 'deletions'), 0)::int as deletions
    from months m
    left join overview_month_counts c on c.month = m.month and c.series = any(${textArrayLiteral(series)})
    group by m.month order by m.month`));
  return {
    timeZone: result[0]?.time_zone ?? "Europe/Berlin",
    months: result.map((r) => ({
      month: r.month, tickets: Number(r.tickets), tickets_anonymised: Number(r.tickets_anonymised),
      anonymisations: Number(r.anonymisations), deletions: Number(r.deletions),
    })),
  };
}

/** Every ticket held, whatever its month: the sum of the kept counts, not a count(*) over the table. */
export async function countAllTickets(db: DbOrTx): Promise<number> {
  const [row] = rows<{ n: number }>(await db.execute(sql`
    select coalesce(sum(count), 0)::int as n from overview_month_counts where series = 'tickets'`));
  return Number(row?.n ?? 0);
}
