import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/db/schema/webhooks";
import { idSchema, wholeNumberSchema } from "@/lib/validation";

// The inputs of the webhook settings, apart from the code that writes them: the settings
// form checks the same schema in the browser, the API route parses its body with it.

export const webhookEventSchema = z.enum(WEBHOOK_EVENT_TYPES, { error: "must be task.completed, task.failed, request.due_soon or request.overdue" });

function isAbsoluteUrl(value: string) {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

export const createWebhookEndpointSchema = z.object({
  url: z.string({ error: "must be text" }).trim().min(1, "is required").max(2000, "must be at most 2,000 characters")
    .refine(isAbsoluteUrl, "must be an absolute URL"),
  description: z.string({ error: "must be text" }).trim().max(200, "must be at most 200 characters").default(""),
  events: z.array(webhookEventSchema, { error: "must be a list of events" })
    .min(1, "must name at least one event").max(WEBHOOK_EVENT_TYPES.length, "must name each event at most once")
    .refine((events) => new Set(events).size === events.length, "must name each event at most once"),
  enabled: z.boolean({ error: "must be true or false" }).default(true),
}, { error: "must be a JSON object" });
export type CreateWebhookEndpoint = z.input<typeof createWebhookEndpointSchema>;

export const webhookEndpointIdSchema = z.object({ id: idSchema }, { error: "must be a JSON object" });

export const setWebhookEndpointEnabledSchema = z.object({
  id: idSchema,
  enabled: z.boolean({ error: "must be true or false" }),
}, { error: "must be a JSON object" });

export const listWebhookDeliveriesSchema = z.object({
  endpointId: idSchema.optional(),
  limit: wholeNumberSchema(1, 100).default(25),
}, { error: "must be a JSON object" });
