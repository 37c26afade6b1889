import { sql } from "drizzle-orm";
import { check, date, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

// The overview's monthly counts (SPEC §12, migration 0018): one row per series and month,
// the month being the calendar month in the organisation's time zone, as its first day.
// Written only by the database's own triggers on tickets, people, the erasure ledger and
// the organisation's time zone; Lethe reads it (lib/overview/statistics.ts).
export const MONTH_COUNT_SERIES = ["tickets", "tickets_anonymised", "anonymisations", "deletions"] as const;
export type MonthCountSeries = (typeof MONTH_COUNT_SERIES)[number];

export const overviewMonthCounts = pgTable("overview_month_counts", {
  series: text().$type<MonthCountSeries>().notNull(),
  month: date({ mode: "string" }).notNull(),
  count: integer().notNull(),
}, (t) => [
  primaryKey({ name: "overview_month_counts_pkey", columns: [t.series, t.month] }),
  check("overview_month_counts_series_check", sql`${t.series} IN ('tickets', 'tickets_anonymised', 'anonymisations', 'deletions')`),
]);
export type OverviewMonthCount = typeof overviewMonthCounts.$inferSelect;
