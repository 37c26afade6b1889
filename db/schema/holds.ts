import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { people } from "./people";

// A hold set or lifted on a profile, with who, when and why (SPEC §13). It is the
// person's history and goes with them: deleted by cascade, and erased by a trigger
// (migration 0011) in the transaction that anonymises them.
export const preventionEvents = pgTable("prevention_events", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  personId: integer().notNull().references(() => people.id, { onDelete: "cascade" }),
  kind: text().$type<"set" | "lifted">().notNull(),
  reason: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }),
  accountId: integer(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("prevention_events_person_idx").on(t.personId, t.createdAt)]);
export type PreventionEvent = typeof preventionEvents.$inferSelect;
