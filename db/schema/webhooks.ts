import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

// Signed webhooks (SPEC §12, migration 0017): the endpoints administrators register and
// the deliveries queued for them, sent by the cron step "webhooks" (lib/webhooks).

export const WEBHOOK_EVENT_TYPES = ["task.completed", "task.failed", "request.due_soon", "request.overdue"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** `ping`: the "Send test event" button's delivery; no endpoint subscribes to it. */
export type WebhookDeliveryType = WebhookEventType | "ping";

export const WEBHOOK_DELIVERY_STATUSES = ["queued", "sending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  url: text().notNull(),
  description: text().notNull().default(""),
  events: text().array().$type<WebhookEventType[]>().notNull(),
  enabled: boolean().notNull().default(true),
  /**
   * The signing secret, ENCRYPTED (AES-256-GCM under a key derived from AUTH_SECRET,
   * lib/webhooks/secret.ts), not hashed: signing needs the plaintext at every send. It is
   * shown once, when it is made, and never again.
   */
  secretEncrypted: text().notNull(),
  /** The secret's first characters, to tell which one a receiver holds ("whsec_3f9a…"). */
  secretPrefix: text().notNull(),
  secretRotatedAt: timestamp({ withTimezone: true }),
  createdByAccountId: integer(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("webhook_endpoints_events_check", sql`cardinality(${t.events}) > 0
    and ${t.events} <@ array['task.completed', 'task.failed', 'request.due_soon', 'request.overdue']::text[]`),
]);
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

// One row per event and endpoint: queued in the transaction of what caused it, claimed
// with FOR UPDATE SKIP LOCKED and a lease like the outbox, retried with backoff. The
// payload holds ids, counts, statuses, times and links, never personal data; nothing of
// a receiver's answer is kept but its status code and a short error in words.
export const webhookDeliveries = pgTable("webhook_deliveries", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  endpointId: integer().notNull().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
  eventType: text().$type<WebhookDeliveryType>().notNull(),
  /** The event's id, the same for every endpoint (receivers de-duplicate by it); unique per endpoint. */
  eventId: text().notNull(),
  /** The request a request.* event is about: its rows are not purged while the request is open, so it is never queued again. */
  requestId: integer(),
  payload: jsonb().$type<Record<string, unknown>>().notNull(),
  status: text().$type<WebhookDeliveryStatus>().notNull().default("queued"),
  attempts: integer().notNull().default(0),
  nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  leaseUntil: timestamp({ withTimezone: true }),
  lastAttemptAt: timestamp({ withTimezone: true }),
  lastStatusCode: integer(),
  lastError: text(),
  sentAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("webhook_deliveries_status_check", sql`${t.status} in ('queued', 'sending', 'delivered', 'failed')`),
  uniqueIndex("webhook_deliveries_event_idx").on(t.endpointId, t.eventId),
  // The claim: queued rows by due time, and sending rows whose lease ran out.
  index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status = 'queued'`),
  index("webhook_deliveries_lease_idx").on(t.leaseUntil).where(sql`status = 'sending'`),
  // The page's recent deliveries and each endpoint's last one.
  index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id.desc()),
  // The purge of finished rows.
  index("webhook_deliveries_finished_idx").on(t.createdAt).where(sql`status in ('delivered', 'failed')`),
]);
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
