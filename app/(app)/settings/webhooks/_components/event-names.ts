import type { WebhookDeliveryType } from "@/db/schema/webhooks";

/** The catalogue key of each event's name (a key may not hold the event type's dots). */
export const EVENT_KEYS = {
  "task.completed": "taskCompleted",
  "task.failed": "taskFailed",
  "request.due_soon": "requestDueSoon",
  "request.overdue": "requestOverdue",
  ping: "ping",
} as const satisfies Record<WebhookDeliveryType, string>;
