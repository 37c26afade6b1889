import type { OutboxEmail } from "@/db/schema";

export type OutboxStatus = OutboxEmail["status"];

export const OUTBOX_STATUSES = ["queued", "sending", "sent", "kept", "failed"] as const satisfies readonly OutboxStatus[];

// What happened to an e-mail, in the words the outbox pages show. `kept` must never read
// as delivered: without an e-mail service the message never left Lethe.
export const OUTBOX_STATUS_LABELS: Record<OutboxStatus, { short: string; long: string }> = {
  queued: { short: "Queued", long: "Queued — waiting for the next scheduled run" },
  sending: { short: "Sending", long: "Being handed to the e-mail service" },
  sent: { short: "Sent", long: "Sent — accepted by the e-mail service" },
  kept: { short: "Kept in the outbox", long: "Kept in the outbox — no e-mail service is configured, so it was not sent" },
  failed: { short: "Failed", long: "Failed — not sent" },
};
