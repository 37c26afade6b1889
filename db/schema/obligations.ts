import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// A legal retention obligation (SPEC §13): records of one type are kept after their person
// is erased for a period counted from one of their dates, because a law requires it
// (invoices: 10 years, §147 AO). Not to be confused with the "blocking obligations" of a
// deletion (an open loan, an outstanding debt: lib/privacy/deletion/rules.ts).
export const retentionObligations = pgTable("retention_obligations", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  /** A key of KEEPABLE_RECORD_TYPES (lib/obligations/record-types.ts). */
  recordType: text().notNull().unique("retention_obligations_record_type_unique"),
  periodYears: integer().notNull().default(0),
  periodMonths: integer().notNull().default(0),
  /** The record's date column the period counts from (snake_case, as in SQL). */
  countedFrom: text().notNull(),
  /** §147(4) AO: the period starts at the end of the calendar year in which the record was made. */
  fromEndOfYear: boolean().notNull().default(false),
  law: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("retention_obligations_period_check", sql`${t.periodYears} >= 0 and ${t.periodMonths} >= 0 and ${t.periodYears} * 12 + ${t.periodMonths} > 0`),
]);
export type RetentionObligation = typeof retentionObligations.$inferSelect;
