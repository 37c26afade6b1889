import { sql } from "drizzle-orm";
import { privacyRequests } from "./requests";
import {
  boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex,
} from "drizzle-orm/pg-core";

export const taskAction = pgEnum("task_action", ["anonymise", "delete"]);
// `awaiting_approval` (migration 0016): a deletion waiting for a second admin.data_privacy
// holder when four-eyes deletions are on; the worker claims only `queued` tasks.
export const taskStatus = pgEnum("task_status", ["queued", "running", "completed", "failed", "cancelled", "awaiting_approval"]);
export const taskOrigin = pgEnum("task_origin", ["manual", "bulk", "api", "rule", "annual_cycle"]);

export type TaskCounts = Record<string, number>;
// `found` is null when the check could not run (the worker died after the work, so the
// former identifiers were gone); `note` then says why.
// `kept`: records kept under a legal retention obligation, counted apart from residue.
export type Verification = { checkedAt: string; found: number | null; note?: string; locations: { table: string; column: string; count: number }[]; kept?: number;
  /** Name mentions found in other people's records and put under review (lib/privacy/mentions), apart from `found`. */
  nameMentions?: number;
  /** Cells of the data-subject request the task answers that hold its reply address, taken off `found` (lib/requests/fulfil/erasure.ts). */
  excused?: number };
/** The receipt's line for records kept under a legal retention obligation (lib/obligations). */
export type KeptRecords = { recordType: string; count: number; law: string; keptUntil: string; firstUntil: string };
export type TaskOptions = {
  deleteOrganisation?: boolean; overrideReason?: string;
  /** A deletion that goes ahead despite a hold on the person: why (admin.data_privacy). */
  holdOverrideReason?: string;
};

// The job record, the status shown to people and the receipt afterwards. It keeps
// no personal data of the subject: an id and a masked label taken before the work.
export const privacyTasks = pgTable("privacy_tasks", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  action: taskAction().notNull(),
  status: taskStatus().notNull().default("queued"),
  origin: taskOrigin().notNull().default("manual"),
  subjectPersonId: integer(),
  subjectLabel: text().notNull(),
  reason: text(),
  /** A request or ticket number, or free text without personal data, given by the requester. */
  reference: text(),
  /** The data-subject request the task fulfils (SPEC §11), if it was created from one. */
  requestId: integer().references(() => privacyRequests.id, { onDelete: "set null" }),
  /** Four-eyes deletions: the second admin.data_privacy holder who approved the task, and when. */
  approvedByAccountId: integer(),
  approvedAt: timestamp({ withTimezone: true }),
  options: jsonb().$type<TaskOptions>().notNull().default({}),
  batchId: text(),
  requestedByAccountId: integer(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp({ withTimezone: true }),
  finishedAt: timestamp({ withTimezone: true }),
  /** Who cancelled the task (its finishedAt says when); null for other outcomes. */
  cancelledByAccountId: integer(),
  leaseUntil: timestamp({ withTimezone: true }),
  workerId: text(),
  attempts: integer().notNull().default(0),
  /** Times an administrator put the failed task back in the queue. */
  retries: integer().notNull().default(0),
  /** `attempts` at the last retry: the worker's limit on dead claims counts from here. */
  attemptsBeforeRetry: integer().notNull().default(0),
  progressDone: integer().notNull().default(0),
  progressTotal: integer().notNull().default(0),
  counts: jsonb().$type<TaskCounts>().notNull().default({}),
  deletedTicketNumbers: integer().array().notNull().default(sql`'{}'::integer[]`),
  /** Pseudonym on the records kept for this subject, and what was kept, why and until when. */
  keptRef: text(),
  kept: jsonb().$type<KeptRecords[]>().notNull().default([]),
  verification: jsonb().$type<Verification>(),
  error: text(),
}, (t) => [
  index("privacy_tasks_status_idx").on(t.status, t.createdAt),
  index("privacy_tasks_subject_idx").on(t.subjectPersonId),
  index("privacy_tasks_batch_idx").on(t.batchId),
  index("privacy_tasks_request_idx").on(t.requestId),
  // One open task per subject and action (queued, running or awaiting approval): a second
  // request conflicts instead of racing. Written with the closed statuses, so the
  // migration that added `awaiting_approval` need not use the new value in its transaction.
  uniqueIndex("privacy_tasks_open_subject_idx")
    .on(t.subjectPersonId, t.action)
    .where(sql`status not in ('completed', 'failed', 'cancelled')`),
]);
export type PrivacyTask = typeof privacyTasks.$inferSelect;

export const activityEvents = pgTable("activity_events", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  actorAccountId: integer(),
  verb: text().notNull(),
  objectType: text().notNull(),
  objectId: integer(),
  summary: text().notNull(),
  // Only accounts holding this permission see the entry (null: everyone signed in).
  permission: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("activity_events_created_idx").on(t.createdAt)]);
export type ActivityEvent = typeof activityEvents.$inferSelect;

// Append-only: a trigger in the migrations refuses UPDATE and DELETE.
export const auditEntries = pgTable("audit_entries", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  actorAccountId: integer(),
  action: text().notNull(),
  targetType: text().notNull(),
  targetId: integer(),
  details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  // The hash chain (migration 0008): written by the insert trigger, whatever the caller passes.
  prevHash: text().notNull().default(""),
  hash: text().notNull().default(""),
}, (t) => [
  index("audit_entries_created_idx").on(t.createdAt),
  index("audit_entries_target_idx").on(t.targetType, t.targetId, t.id.desc()),
  index("audit_entries_actor_idx").on(t.actorAccountId, t.id.desc()),
  index("audit_entries_action_idx").on(t.action, t.id.desc()),
  index("audit_entries_subject_person_idx").on(sql`(${t.details} ->> 'subjectPersonId')`),
]);
export type AuditEntry = typeof auditEntries.$inferSelect;

export type FieldPolicy = "keep" | "blank" | "mask" | "generalise" | "pseudonymise";
export type CustomFieldDefinition = { key: string; label: string };

// A single row (id = 1) holds the organisation's privacy settings.
export const privacySettings = pgTable("privacy_settings", {
  id: integer().primaryKey().default(1),
  organisationName: text().notNull().default("Lethe"),
  timeZone: text().notNull().default("Europe/Berlin"),
  defaultPhoneCountry: text().notNull().default("DE"),
  // The organisation's language: accounts that chose none, data subjects, the sign-in page's fallback.
  language: text().$type<"en" | "de">().notNull().default("en"),
  anonymisationEnabled: boolean().notNull().default(false),
  inactivePeriods: integer().notNull().default(2),
  daysSinceLeaving: integer(),
  daysSinceActivity: integer(),
  daysSinceMarked: integer(),
  scope: text().$type<"all" | "imported" | "not_imported">().notNull().default("all"),
  manualRespectsCriteria: boolean().notNull().default(true),
  fieldPolicies: jsonb().$type<Record<string, FieldPolicy>>().notNull().default({}),
  customFieldDefinitions: jsonb().$type<CustomFieldDefinition[]>().notNull().default([]),
  // The subject's identifier in a message they neither sent nor received: the message is
  // blanked whole, or only the identifier becomes "[redacted]" (SPEC §10).
  othersMentions: text().$type<"blank_message" | "redact">().notNull().default("blank_message"),
  taskLogRetentionMonths: integer().notNull().default(12),
  // The audit log's own retention (SPEC §13): it holds no personal data, so it is kept longer.
  auditRetentionMonths: integer().notNull().default(72),
  emailBodyRetentionDays: integer().notNull().default(30),
  cycleEnabled: boolean().notNull().default(false),
  cycleNoticeMonth: integer().notNull().default(10),
  cycleNoticeDay: integer().notNull().default(1),
  cycleFirstReminderDays: integer().notNull().default(14),
  cycleSecondReminderDays: integer().notNull().default(7),
  cycleRunMonth: integer().notNull().default(11),
  cycleRunDay: integer().notNull().default(1),
  cycleMinNoticeDays: integer().notNull().default(28),
  // Data-subject requests (SPEC §11): the clock stands still while the requester's
  // identity is unconfirmed; closed requests are kept this long (the limitation period).
  requestClockPause: boolean().notNull().default(true),
  requestRetentionMonths: integer().notNull().default(36),
  // A deletion task waits for a second admin.data_privacy holder's approval.
  fourEyesDeletions: boolean().notNull().default(false),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("privacy_settings_language_check", sql`${t.language} in ('en', 'de')`),
  check("privacy_settings_others_mentions_check", sql`${t.othersMentions} in ('blank_message', 'redact')`),
]);
export type PrivacySettings = typeof privacySettings.$inferSelect;

export const cycleStep = pgEnum("cycle_step", ["notice", "first_reminder", "second_reminder", "run"]);

export const annualCycleSteps = pgTable("annual_cycle_steps", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  cycleYear: integer().notNull(),
  step: cycleStep().notNull(),
  doneAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  listedCount: integer().notNull().default(0),
  details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [uniqueIndex("annual_cycle_steps_year_step_idx").on(t.cycleYear, t.step)]);

export const ruleObject = pgEnum("rule_object", ["person", "ticket"]);
export const ruleAction = pgEnum("rule_action", ["anonymise", "delete"]);

export type RuleSchedule = { kind: "daily"; hour: number } | { kind: "weekly"; days: number[]; hour: number };

export const retentionRules = pgTable("retention_rules", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  object: ruleObject().notNull(),
  conditions: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  action: ruleAction().notNull(),
  schedule: jsonb().$type<RuleSchedule>().notNull(),
  enabled: boolean().notNull().default(false),
  lastRunAt: timestamp({ withTimezone: true }),
  createdByAccountId: integer(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type RetentionRule = typeof retentionRules.$inferSelect;

export const retentionRuleRuns = pgTable("retention_rule_runs", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  ruleId: integer().notNull().references(() => retentionRules.id, { onDelete: "cascade" }),
  slot: timestamp({ withTimezone: true }).notNull(),
  startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp({ withTimezone: true }),
  matched: integer().notNull().default(0),
  tasksCreated: integer().notNull().default(0),
  counts: jsonb().$type<Record<string, number>>().notNull().default({}),
  error: text(),
}, (t) => [uniqueIndex("retention_rule_runs_slot_idx").on(t.ruleId, t.slot)]);

export const outboxStatus = pgEnum("outbox_status", ["queued", "sending", "sent", "kept", "failed"]);

export const outboxEmails = pgTable("outbox_emails", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  idempotencyKey: text().notNull().unique(),
  template: text().notNull(),
  to: text().notNull(),
  recipientAccountId: integer(),
  subject: text().notNull(),
  html: text(),
  text: text(),
  status: outboxStatus().notNull().default("queued"),
  attempts: integer().notNull().default(0),
  nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  leaseUntil: timestamp({ withTimezone: true }),
  lastError: text(),
  providerId: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp({ withTimezone: true }),
  bodyPurgedAt: timestamp({ withTimezone: true }),
}, (t) => [
  index("outbox_emails_due_idx").on(t.status, t.nextAttemptAt),
  // Migration 0015: the folded words of subject and text, where name mentions are looked for.
  index("outbox_emails_words_idx").using("gin", sql`to_tsvector('simple'::regconfig, lethe_fold(left(${t.subject} || ' ' || coalesce(${t.text}, ''), 100000)))`).with({ fastupdate: false }),
]);
export type OutboxEmail = typeof outboxEmails.$inferSelect;
