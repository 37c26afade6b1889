import type { Db } from "@/db/client";
import { deliverWebhooks } from "./deliver";
import { queueRequestEvents } from "./events";
import { purgeWebhookDeliveries } from "./purge";

// The cron step "webhooks" (lib/cron.ts), after the privacy tasks and the request
// reminders: queue the requests' due-soon and overdue events, send what is due within the
// call's deadline, and purge finished deliveries past their retention.

export async function runWebhooks(ctx: { db: Db; now: Date; clock: () => Date; deadline: number }) {
  const queued = await queueRequestEvents(ctx.db, { now: ctx.now });
  const sent = await deliverWebhooks(ctx.db, { clock: ctx.clock, deadline: ctx.deadline });
  const purged = await purgeWebhookDeliveries(ctx.db, { now: ctx.clock() });
  return { queued, ...sent, purged };
}
