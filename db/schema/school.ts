import {
  boolean, check, date, index, integer, numeric, pgEnum, pgTable, text, timestamp,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { people } from "./people";

export const teachingPeriods = pgTable("teaching_periods", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  startsOn: date({ mode: "string" }).notNull(),
  endsOn: date({ mode: "string" }).notNull(),
}, (t) => [index("teaching_periods_range_idx").on(t.startsOn, t.endsOn)]);
export type TeachingPeriod = typeof teachingPeriods.$inferSelect;

export const courses = pgTable("courses", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  code: text().notNull().unique(),
});
export type Course = typeof courses.$inferSelect;

export const enrolments = pgTable("enrolments", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  personId: integer().notNull().references(() => people.id, { onDelete: "cascade" }),
  courseId: integer().notNull().references(() => courses.id),
  teachingPeriodId: integer().notNull().references(() => teachingPeriods.id),
  active: boolean().notNull().default(true),
  enrolledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("enrolments_person_idx").on(t.personId, t.teachingPeriodId),
  index("enrolments_active_idx").on(t.personId).where(sql`active`),
]);
export type Enrolment = typeof enrolments.$inferSelect;

export const waitingListEntries = pgTable("waiting_list_entries", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  personId: integer().notNull().references(() => people.id, { onDelete: "cascade" }),
  courseId: integer().notNull().references(() => courses.id),
  active: boolean().notNull().default(true),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("waiting_list_person_idx").on(t.personId)]);
export type WaitingListEntry = typeof waitingListEntries.$inferSelect;

export const loanKind = pgEnum("loan_kind", ["book", "instrument"]);

export const loans = pgTable("loans", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  personId: integer().notNull().references(() => people.id, { onDelete: "cascade" }),
  kind: loanKind().notNull().default("book"),
  item: text().notNull(),
  lentAt: timestamp({ withTimezone: true }).notNull(),
  dueAt: timestamp({ withTimezone: true }),
  returnedAt: timestamp({ withTimezone: true }),
}, (t) => [index("loans_person_idx").on(t.personId, t.lentAt)]);
export type Loan = typeof loans.$inferSelect;

// An invoice kept under a legal retention obligation after its person was erased has no
// person: `keptRef` (a pseudonym shared by one subject's kept rows), `keptUntil` and
// `keptLaw` stand in its place (lib/obligations).
export const invoices = pgTable("invoices", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  personId: integer().references(() => people.id, { onDelete: "cascade" }),
  number: text().notNull().unique(),
  amount: numeric({ precision: 12, scale: 2 }).notNull(),
  amountPaid: numeric({ precision: 12, scale: 2 }).notNull().default("0"),
  issuedOn: date({ mode: "string" }).notNull(),
  dueOn: date({ mode: "string" }).notNull(),
  keptRef: text(),
  keptUntil: date({ mode: "string" }),
  keptLaw: text(),
}, (t) => [
  index("invoices_person_idx").on(t.personId),
  index("invoices_kept_until_idx").on(t.keptUntil).where(sql`${t.keptRef} is not null`),
  index("invoices_kept_ref_idx").on(t.keptRef).where(sql`${t.keptRef} is not null`),
  check("invoices_kept_check", sql`(${t.keptRef} is null and ${t.keptUntil} is null and ${t.keptLaw} is null and ${t.personId} is not null) or (${t.keptRef} is not null and ${t.keptUntil} is not null and ${t.keptLaw} is not null and ${t.personId} is null)`),
]);
export type Invoice = typeof invoices.$inferSelect;

