import { z } from "zod";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "@/db/schema/webhooks";
import { countSchema, dataOf, instantSchema, rowIdSchema } from "@/lib/openapi/wire";

// What the webhook routes answer, as zod schemas (the OpenAPI document renders them). The
// signing secret appears only in the answer that makes it: POST /api/v1/webhooks.

const eventSchema = z.enum(WEBHOOK_EVENT_TYPES);

export const webhookDeliverySchema = z.strictObject({
  id: rowIdSchema,
  endpointId: rowIdSchema,
  eventType: z.enum([...WEBHOOK_EVENT_TYPES, "ping"]),
  eventId: z.string().describe("The event's id, sent as Lethe-Event-Id; the same for every endpoint and retry."),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: countSchema,
  lastStatusCode: z.number().int().nullable().describe("The HTTP status of the last answer; null before the first attempt or when none came."),
  lastError: z.string().nullable().describe("Why the last attempt did not deliver, in words (the receiver's answer is never kept)."),
  lastAttemptAt: instantSchema.nullable(),
  nextAttemptAt: instantSchema.nullable().describe("When a queued delivery is tried next; null once it is delivered or failed."),
  sentAt: instantSchema.nullable(),
  createdAt: instantSchema,
});

const endpointFields = {
  id: rowIdSchema,
  url: z.url(),
  description: z.string(),
  events: z.array(eventSchema),
  enabled: z.boolean().describe("A paused endpoint is queued no new events; its queued deliveries wait."),
  secretPrefix: z.string().describe("The signing secret's first characters, to tell secrets apart."),
  createdAt: instantSchema,
  updatedAt: instantSchema,
};

export const webhookEndpointSchema = z.strictObject({ ...endpointFields, lastDelivery: webhookDeliverySchema.nullable() });

export const webhookEndpointListAnswer = dataOf(z.array(webhookEndpointSchema));

export const webhookEndpointCreatedAnswer = dataOf(z.strictObject({
  ...endpointFields,
  secret: z.string().describe("The signing secret, shown this once: Lethe stores it encrypted and never answers it again."),
}));

export const webhookEndpointDeletedAnswer = dataOf(z.strictObject({ id: rowIdSchema, deliveries: countSchema.describe("Deliveries deleted with it.") }));

export const webhookTestAnswer = dataOf(z.strictObject({
  deliveryId: rowIdSchema,
  status: z.enum(["delivered", "failed"]),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: countSchema,
}));
