import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// The erasure ledger (SPEC §10, migration 0014): one row per completed anonymisation or
// deletion — subject id, action, completion time, task, and the keyed hashes
// (HMAC-SHA-256 with PSEUDONYM_KEY) of the normalised identifiers the task worked from.
// Never a plain value. No foreign keys: it outlives the person and the task log, so that
// `npm run erasures:replay` can apply the erasure again after a backup restore. A ticket
// deleted on its own (migration 0019) has a row of its own: action "delete_ticket", the
// ticket's id, no subject, and the keyed hash of the ticket's id, number and creation time.
export const erasureLedger = pgTable("erasure_ledger", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  /** Null exactly for a ticket deleted on its own. */
  subjectPersonId: integer(),
  action: text().$type<"anonymise" | "delete" | "delete_ticket">().notNull(),
  /** Set exactly for "delete_ticket". */
  ticketId: integer(),
  taskId: integer(),
  completedAt: timestamp({ withTimezone: true }).notNull(),
  hashes: text().array().notNull().default(sql`'{}'::text[]`),
  /** HMAC(key, "lethe-ledger"), first 16 hex: which key the hashes were made with. */
  keyFingerprint: text(),
  /** Why the row has no hashes: no PSEUDONYM_KEY, or the identifiers were gone (worker died after the work). */
  withoutHashes: text().$type<"no_key" | "identifiers_unavailable">(),
  /** Written by a replay after a restore, not by an original request. */
  replay: boolean().notNull().default(false),
}, (t) => [
  index("erasure_ledger_completed_idx").on(t.completedAt),
  index("erasure_ledger_subject_idx").on(t.subjectPersonId),
  check("erasure_ledger_action_check", sql`${t.action} IN ('anonymise', 'delete', 'delete_ticket')`),
  check("erasure_ledger_record_check", sql`CASE WHEN ${t.action} = 'delete_ticket' THEN ${t.ticketId} IS NOT NULL AND ${t.subjectPersonId} IS NULL
    ELSE ${t.subjectPersonId} IS NOT NULL AND ${t.ticketId} IS NULL END`),
  check("erasure_ledger_without_hashes_check", sql`${t.withoutHashes} IN ('no_key', 'identifiers_unavailable')`),
]);
export type ErasureLedgerRow = typeof erasureLedger.$inferSelect;
