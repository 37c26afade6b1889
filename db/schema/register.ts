import { integer, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";

// The register of processing (GDPR Art. 30): one entry per record type, created by the
// migration and edited by administrators (admin.settings). Not personal data.
export const registerRecordType = pgEnum("register_record_type", [
  "people", "tickets", "enrolments", "waiting_lists", "loans", "invoices", "family_links", "outbox",
]);

export const registerEntries = pgTable("register_entries", {
  recordType: registerRecordType().primaryKey(),
  purposes: text().notNull(),
  categories: text().notNull(),
  legalBasis: text().notNull(),
  recipients: text().notNull(),
  source: text().notNull(),
  retention: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedByAccountId: integer().references(() => accounts.id, { onDelete: "set null" }),
});
export type RegisterEntry = typeof registerEntries.$inferSelect;
export type RegisterRecordType = (typeof registerRecordType.enumValues)[number];
