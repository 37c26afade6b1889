import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";

// The overview's kept monthly counts (migration 0018) and the same numbers counted afresh,
// for the tests that check that every kind of write keeps them exact.

export type MonthCounts = Record<string, number>;

/** What overview_month_counts holds, as "series YYYY-MM" → count (months at zero left out). */
export async function keptMonthCounts(db: DbOrTx): Promise<MonthCounts> {
  const found = rows<{ key: string; n: number }>(await db.execute(sql`
    select series || ' ' || to_char(month, 'YYYY-MM') as key, count as n from overview_month_counts where count <> 0`));
  return Object.fromEntries(found.map((r) => [r.key, Number(r.n)]));
}

/** The same numbers by a group-by over tickets, people and the erasure ledger, in the organisation's time zone. */
export async function recountMonthCounts(db: DbOrTx): Promise<MonthCounts> {
  const found = rows<{ key: string; n: number }>(await db.execute(sql`
    with zone as (select coalesce((select time_zone from privacy_settings where id = 1), 'Europe/Berlin') as name),
    t as (
      select to_char(t.created_at at time zone zone.name, 'YYYY-MM') as month,
        t.anonymised_at is not null or c.anonymised_at is not null as anonymised
      from tickets t left join people c on c.id = t.customer_id, zone)
    select 'tickets ' || month as key, count(*)::int as n from t group by month
    union all select 'tickets_anonymised ' || month, count(*)::int from t where anonymised group by month
    union all select case l.action when 'anonymise' then 'anonymisations ' else 'deletions ' end
        || to_char(l.completed_at at time zone zone.name, 'YYYY-MM'), count(*)::int
      from erasure_ledger l, zone where not l.replay and l.action in ('anonymise', 'delete') group by 1`));
  return Object.fromEntries(found.map((r) => [r.key, Number(r.n)]));
}
