import { sql } from "drizzle-orm";
import {
  check, customType, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex,
} from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { people } from "./people";

// Data-subject requests and their statutory clock (SPEC §11, migration 0016).
//
// A request is the record of what a data subject asked and what Lethe did about it; it
// is kept for the limitation period after it closes (privacy_settings.request_retention_months)
// and then purged with everything below it (events, downloads) by cascade. It may hold
// the requester's name and e-mail: the address the reply goes to, kept no longer than
// the request.

export const REQUEST_TYPES = ["access", "rectification", "erasure", "restriction", "portability", "objection"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/**
 * `awaiting_identity`: the requester is not yet confirmed to be the person (the clock
 * pauses if the setting says so). `open` and `extended` are being worked on; the three
 * others are closed.
 */
export const REQUEST_STATUSES = ["awaiting_identity", "open", "extended", "fulfilled", "refused", "withdrawn"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const OPEN_REQUEST_STATUSES = ["awaiting_identity", "open", "extended"] as const satisfies readonly RequestStatus[];
export const CLOSED_REQUEST_STATUSES = ["fulfilled", "refused", "withdrawn"] as const satisfies readonly RequestStatus[];

export const REQUEST_CHANNELS = ["email", "letter", "phone", "in_person", "web_form", "api", "other"] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

export const privacyRequests = pgTable("privacy_requests", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  type: text().$type<RequestType>().notNull(),
  status: text().$type<RequestStatus>().notNull().default("open"),
  /**
   * The person the request is about, once matched; null while only a name and e-mail are
   * known. A request is registered with a person or an address (lib/requests, checked
   * there), but no database constraint says so: deleting the person sets this to null,
   * and a person's deletion must never fail on a request about them.
   */
  personId: integer().references(() => people.id, { onDelete: "set null" }),
  requesterName: text(),
  requesterEmail: text(),
  channel: text().$type<RequestChannel>().notNull(),
  receivedAt: timestamp({ withTimezone: true }).notNull(),
  /**
   * The due date in the organisation's time zone (lib/requests/due.ts): the received
   * date plus one month (plus the extension's months), clamped to the month's end, plus
   * the days the clock was paused. Recomputed whenever one of those changes.
   */
  dueAt: date({ mode: "string" }).notNull(),
  /** Months added by the one extension allowed (1 or 2), its reason and when. */
  extensionMonths: integer().notNull().default(0),
  extensionReason: text(),
  extendedAt: timestamp({ withTimezone: true }),
  /** Whole days the clock stood still while identity was unconfirmed (closed pauses only). */
  pausedDays: integer().notNull().default(0),
  /** Since when the clock stands still; null when it runs. */
  pausedSince: timestamp({ withTimezone: true }),
  identityConfirmedAt: timestamp({ withTimezone: true }),
  assigneeAccountId: integer().references(() => accounts.id, { onDelete: "set null" }),
  notes: text(),
  /** People holding the requester's address (current or former) when a public request was confirmed. */
  matchedPersonIds: integer().array().notNull().default(sql`'{}'::integer[]`),
  /** The outcome: the refusal's legal basis (lib/requests) and the reply written to the requester. */
  refusalBasis: text(),
  reply: text(),
  /** "staff" (browser), "api", or "public" (the /request form). */
  source: text().$type<"staff" | "api" | "public">().notNull().default("staff"),
  createdByAccountId: integer(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp({ withTimezone: true }),
}, (t) => [
  check("privacy_requests_type_check", sql`${t.type} IN ('access', 'rectification', 'erasure', 'restriction', 'portability', 'objection')`),
  check("privacy_requests_status_check", sql`${t.status} IN ('awaiting_identity', 'open', 'extended', 'fulfilled', 'refused', 'withdrawn')`),
  check("privacy_requests_channel_check", sql`${t.channel} IN ('email', 'letter', 'phone', 'in_person', 'web_form', 'api', 'other')`),
  check("privacy_requests_source_check", sql`${t.source} IN ('staff', 'api', 'public')`),
  check("privacy_requests_extension_check", sql`${t.extensionMonths} BETWEEN 0 AND 2`),
  index("privacy_requests_due_idx").on(t.status, t.dueAt),
  index("privacy_requests_assignee_idx").on(t.assigneeAccountId, t.status),
  index("privacy_requests_person_idx").on(t.personId),
  index("privacy_requests_closed_idx").on(t.closedAt).where(sql`${t.closedAt} IS NOT NULL`),
]);
export type PrivacyRequest = typeof privacyRequests.$inferSelect;
export type NewPrivacyRequest = typeof privacyRequests.$inferInsert;

/**
 * The request's timeline: everything done to or for it, in order (registered, identity
 * confirmed, extended, reply sent, export downloaded, task created, fulfilled, …). The
 * details hold ids and words, not the requester's identifiers.
 */
export const privacyRequestEvents = pgTable("privacy_request_events", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  requestId: integer().notNull().references(() => privacyRequests.id, { onDelete: "cascade" }),
  kind: text().notNull(),
  actorAccountId: integer(),
  details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("privacy_request_events_request_idx").on(t.requestId, t.id)]);
export type PrivacyRequestEvent = typeof privacyRequestEvents.$inferSelect;

/**
 * A request filed on the public form, before its e-mail address is confirmed. It is not
 * in the queue: confirming the link (valid 24 hours, stored as a SHA-256 hash) creates
 * the privacy_requests row and marks this one used. Unconfirmed rows are purged once
 * expired. `ipHash` and `emailHash` (keyed hashes) count submissions for the rate limit.
 */
export const requestSubmissions = pgTable("request_submissions", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  type: text().$type<RequestType>().notNull(),
  email: text().notNull(),
  name: text(),
  text: text(),
  tokenHash: text().notNull(),
  ipHash: text().notNull(),
  emailHash: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  usedAt: timestamp({ withTimezone: true }),
  requestId: integer().references(() => privacyRequests.id, { onDelete: "set null" }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("request_submissions_token_idx").on(t.tokenHash),
  index("request_submissions_ip_idx").on(t.ipHash, t.createdAt),
  index("request_submissions_email_idx").on(t.emailHash, t.createdAt),
  index("request_submissions_expires_idx").on(t.expiresAt),
]);
export type RequestSubmission = typeof requestSubmissions.$inferSelect;

/**
 * The export built for an access or portability request, downloadable by the requester
 * through a link that works for 7 days (the token stored as a SHA-256 hash). The file is
 * emptied when the link expires and goes with the request when it is purged.
 */
export const requestDownloads = pgTable("request_downloads", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  requestId: integer().notNull().references(() => privacyRequests.id, { onDelete: "cascade" }),
  tokenHash: text().notNull(),
  fileName: text().notNull(),
  contentType: text().notNull(),
  content: bytea(),
  byteSize: integer().notNull().default(0),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  downloads: integer().notNull().default(0),
  lastDownloadedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("request_downloads_token_idx").on(t.tokenHash),
  index("request_downloads_request_idx").on(t.requestId),
  index("request_downloads_expires_idx").on(t.expiresAt).where(sql`${t.content} IS NOT NULL`),
]);
export type RequestDownload = typeof requestDownloads.$inferSelect;
