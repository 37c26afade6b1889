import type { OutboxEmail } from "@/db/schema";

export type OutboxStatus = OutboxEmail["status"];

// The words for each status are the admin catalogue's (admin.outbox.statuses). `kept` must
// never read as delivered there: without an e-mail service the message never left Lethe.
export const OUTBOX_STATUSES = ["queued", "sending", "sent", "kept", "failed"] as const satisfies readonly OutboxStatus[];
