import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { privacyTasks } from "./privacy";

// The redaction review (SPEC §10, migration 0015): a place where an erased subject's
// name was found in another person's record. The name itself is never stored: an item is
// a position (table, row, field, start, length in UTF-16 code units as JavaScript counts
// them) and a salted SHA-256 of the text found there, which tells whether the record
// has changed since. Items go with their task (on delete cascade): the task-log purge
// removes both. The full-text indexes over folded text that find the hits are expression
// indexes on messages, tickets, people and outbox_emails, created by migrations 0012 and 0015.
export const MENTION_TABLES = ["messages", "tickets", "people", "outbox_emails"] as const;
export type MentionTable = (typeof MENTION_TABLES)[number];
export const MENTION_STATUSES = ["open", "redacted", "blanked", "kept"] as const;
export type MentionStatus = (typeof MENTION_STATUSES)[number];

export const nameMentions = pgTable("name_mentions", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  taskId: integer().notNull().references(() => privacyTasks.id, { onDelete: "cascade" }),
  recordTable: text().$type<MentionTable>().notNull(),
  recordId: integer().notNull(),
  /** The column, or for a custom field `customFields.<key>`. */
  field: text().notNull(),
  start: integer().notNull(),
  length: integer().notNull(),
  salt: text().notNull(),
  hash: text().notNull(),
  status: text().$type<MentionStatus>().notNull().default("open"),
  decidedByAccountId: integer(),
  decidedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("name_mentions_table_check", sql`${t.recordTable} IN ('messages', 'tickets', 'people', 'outbox_emails')`),
  check("name_mentions_status_check", sql`${t.status} IN ('open', 'redacted', 'blanked', 'kept')`),
  check("name_mentions_position_check", sql`${t.start} >= 0 AND ${t.length} > 0`),
  index("name_mentions_task_idx").on(t.taskId, t.status),
  index("name_mentions_record_idx").on(t.recordTable, t.recordId),
  index("name_mentions_open_idx").on(t.id).where(sql`${t.status} = 'open'`),
]);
export type NameMention = typeof nameMentions.$inferSelect;
