import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { ts } from "@/db/sql";

// Finished deliveries (delivered, or failed for good) are kept for 30 days so that the
// settings page can show what went out and what did not, then deleted. The deliveries of a
// data-subject request that is still open stay: their (endpoint, event id) key is what
// keeps the request's due-soon or overdue event from being queued again (events.ts).
// One idempotent statement, so concurrent cron calls cannot purge twice.

export const DELIVERY_RETENTION_DAYS = 30;

export async function purgeWebhookDeliveries(db: Db, { now }: { now: Date }) {
  const cutoff = sql`${ts(now)} - make_interval(days => ${DELIVERY_RETENTION_DAYS})`;
  const purged = rows(await db.execute(sql`
    delete from webhook_deliveries d
    where d.status in ('delivered', 'failed') and d.created_at < ${cutoff}
      and coalesce(d.sent_at, d.last_attempt_at, d.created_at) < ${cutoff}
      and not exists (
        select 1 from privacy_requests r
        where r.id = d.request_id and r.status in ('awaiting_identity', 'open', 'extended'))
    returning 1`));
  return purged.length;
}
