import { z } from "zod";

// What each webhook event's body holds: ids, counts, statuses, times and links, NEVER
// personal data (no names, e-mail addresses, postal addresses, free text or reasons). The
// bodies are built in SQL (events.ts) and checked against these schemas by the tests; the
// API document lists them in its `webhooks` section. Every body is one envelope:
//
//   { "id": "<event id>", "type": "<event type>", "createdAt": "<ISO time>", "data": { … } }
//
// The event id is the same for every endpoint and every retry: receivers de-duplicate by it
// (it is also sent as the Lethe-Event-Id header).

const isoTime = z.string().describe("An ISO 8601 time in UTC, e.g. 2026-03-01T09:30:00.000Z.");
const link = z.url().describe("An absolute link into Lethe (for a signed-in user; it reveals nothing by itself).");

/** A privacy task (an anonymisation or a deletion of one subject) ended. */
export const taskEventDataSchema = z.object({
  taskId: z.number().int(),
  action: z.enum(["anonymise", "delete"]),
  origin: z.enum(["manual", "bulk", "api", "rule", "annual_cycle"]),
  status: z.enum(["completed", "failed"]),
  subjectPersonId: z.number().int().nullable().describe("The subject's record id; after a deletion it points at nothing."),
  requestId: z.number().int().nullable().describe("The data-subject request the task answers, if any."),
  counts: z.record(z.string(), z.number()).describe("Records changed or removed, by kind (tickets, messages, …); {skipped: 1} when the person was no longer eligible."),
  deletedTickets: z.number().int().describe("How many tickets the deletion removed."),
  residueFound: z.number().int().nullable().describe("Identifiers of the subject the verification still found (target 0); null when it could not run."),
  createdAt: isoTime,
  finishedAt: isoTime.nullable(),
  url: link,
});

/** A data-subject request is due within 7 days, or overdue. */
export const requestEventDataSchema = z.object({
  requestId: z.number().int(),
  requestType: z.enum(["access", "rectification", "erasure", "restriction", "portability", "objection"]),
  status: z.enum(["awaiting_identity", "open", "extended"]),
  dueAt: z.string().describe("The effective due date, YYYY-MM-DD in the organisation's time zone."),
  daysLeft: z.number().int().describe("Days until the due date; negative once it is overdue."),
  url: link,
});

/** "Send test event" on the settings page, or POST /api/v1/webhooks/{id}/test. */
export const pingEventDataSchema = z.object({
  endpointId: z.number().int(),
  url: link,
});

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ id: z.string().describe("The event id, also sent as Lethe-Event-Id."), type: z.literal(type), createdAt: isoTime, data });

export const webhookPayloadSchemas = {
  "task.completed": envelope("task.completed", taskEventDataSchema),
  "task.failed": envelope("task.failed", taskEventDataSchema),
  "request.due_soon": envelope("request.due_soon", requestEventDataSchema),
  "request.overdue": envelope("request.overdue", requestEventDataSchema),
  ping: envelope("ping", pingEventDataSchema),
} as const;

export const webhookPayloadSchema = z.discriminatedUnion("type", [
  webhookPayloadSchemas["task.completed"], webhookPayloadSchemas["task.failed"],
  webhookPayloadSchemas["request.due_soon"], webhookPayloadSchemas["request.overdue"], webhookPayloadSchemas.ping,
]);
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** The headers of every delivery, for the API document. */
export const WEBHOOK_HEADERS = {
  "Lethe-Signature": "t=<unix seconds>,v1=<hex HMAC-SHA-256 of \"<t>.<raw body>\" with the endpoint's secret>",
  "Lethe-Event-Id": "The event's id (the body's `id`), the same on every retry.",
  "Lethe-Event-Type": "The event's type (the body's `type`).",
} as const;

const HOW_DELIVERED = "Sent as a POST with a JSON body, signed in the Lethe-Signature header (see the README's Webhooks section). "
  + "A 2xx answer is success; 408, 429 and 5xx answers and no answer within 10 s are retried with backoff (1 min to 24 h, 7 attempts); "
  + "redirects and other 4xx answers are not retried.";

/** The events as the API document's `webhooks` section lists them. */
export const WEBHOOK_EVENT_DOCS = [
  { event: "task.completed", summary: "A privacy task (anonymisation or deletion) completed", description: HOW_DELIVERED, payload: webhookPayloadSchemas["task.completed"] },
  { event: "task.failed", summary: "A privacy task (anonymisation or deletion) failed", description: HOW_DELIVERED, payload: webhookPayloadSchemas["task.failed"] },
  { event: "request.due_soon", summary: "A data-subject request is due within 7 days", description: HOW_DELIVERED, payload: webhookPayloadSchemas["request.due_soon"] },
  { event: "request.overdue", summary: "A data-subject request is overdue", description: HOW_DELIVERED, payload: webhookPayloadSchemas["request.overdue"] },
  { event: "ping", summary: "A test event (Send test event)", description: `${HOW_DELIVERED} A test event is sent once and never retried.`, payload: webhookPayloadSchemas.ping },
] as const;
