import { z } from "zod";
import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { WebhookDeliveryStatus, WebhookDeliveryType, WebhookEventType } from "@/db/schema";
import { defineQuery } from "@/lib/operation";
import { listWebhookDeliveriesSchema } from "./schemas";

// What the settings page and GET /api/v1/webhooks read (admin.settings): the endpoints,
// each with its last delivery, and the recent deliveries. Never the secret.

export type WebhookDeliveryView = {
  id: number; endpointId: number; eventType: WebhookDeliveryType; eventId: string; status: WebhookDeliveryStatus;
  attempts: number; lastStatusCode: number | null; lastError: string | null;
  lastAttemptAt: Date | null; nextAttemptAt: Date | null; sentAt: Date | null; createdAt: Date;
};

export type WebhookEndpointView = {
  id: number; url: string; description: string; events: WebhookEventType[]; enabled: boolean; secretPrefix: string;
  createdAt: Date; updatedAt: Date; lastDelivery: WebhookDeliveryView | null;
};

type DeliveryRow = {
  id: number; endpoint_id: number; event_type: WebhookDeliveryType; event_id: string; status: WebhookDeliveryStatus; attempts: number;
  last_status_code: number | null; last_error: string | null; last_attempt_at: string | null; next_attempt_at: string; sent_at: string | null; created_at: string;
};

const date = (value: string | Date | null) => (value === null ? null : new Date(value));

function deliveryView(r: DeliveryRow): WebhookDeliveryView {
  return {
    id: Number(r.id), endpointId: Number(r.endpoint_id), eventType: r.event_type, eventId: r.event_id, status: r.status, attempts: Number(r.attempts),
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code), lastError: r.last_error,
    lastAttemptAt: date(r.last_attempt_at),
    // When it will be tried next: only a queued delivery has a next attempt.
    nextAttemptAt: r.status === "queued" ? date(r.next_attempt_at) : null,
    sentAt: date(r.sent_at), createdAt: new Date(r.created_at),
  };
}

const DELIVERY_COLUMNS = sql`d.id, d.endpoint_id, d.event_type, d.event_id, d.status, d.attempts, d.last_status_code, d.last_error,
  d.last_attempt_at, d.next_attempt_at, d.sent_at, d.created_at`;

export async function selectWebhookEndpoints(db: DbOrTx): Promise<WebhookEndpointView[]> {
  const found = rows<DeliveryRow & {
    e_id: number; url: string; description: string; events: WebhookEventType[]; enabled: boolean; secret_prefix: string;
    e_created_at: string; e_updated_at: string; has_delivery: boolean;
  }>(await db.execute(sql`
    select e.id as e_id, e.url, e.description, e.events, e.enabled, e.secret_prefix, e.created_at as e_created_at,
      e.updated_at as e_updated_at, d.id is not null as has_delivery, ${DELIVERY_COLUMNS}
    from webhook_endpoints e
    left join lateral (
      select * from webhook_deliveries w where w.endpoint_id = e.id order by w.id desc limit 1) d on true
    order by e.id`));
  return found.map((r) => ({
    id: Number(r.e_id), url: r.url, description: r.description, events: r.events, enabled: r.enabled, secretPrefix: r.secret_prefix,
    createdAt: new Date(r.e_created_at), updatedAt: new Date(r.e_updated_at), lastDelivery: r.has_delivery ? deliveryView(r) : null,
  }));
}

export async function selectWebhookDeliveries(db: DbOrTx, { endpointId, limit }: { endpointId?: number; limit: number }) {
  const found = rows<DeliveryRow>(await db.execute(sql`
    select ${DELIVERY_COLUMNS} from webhook_deliveries d
    ${endpointId === undefined ? sql`` : sql`where d.endpoint_id = ${endpointId}`}
    order by d.id desc limit ${limit}`));
  return found.map(deliveryView);
}

export const listWebhookEndpoints = defineQuery({
  name: "listWebhookEndpoints",
  permission: "admin.settings",
  input: z.object({}, { error: "must be a JSON object" }),
  run: ({ db }) => selectWebhookEndpoints(db),
});

export const listWebhookDeliveries = defineQuery({
  name: "listWebhookDeliveries",
  permission: "admin.settings",
  input: listWebhookDeliveriesSchema,
  run: ({ db, input }) => selectWebhookDeliveries(db, input),
});
