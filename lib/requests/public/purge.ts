import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { ts } from "@/db/sql";
import { PURGED_ADDRESS } from "@/lib/requests/retention";

// Submissions of the public form hold an address, maybe a name and a free text, typed by
// anyone: they are kept no longer than their link needs them.
//   - unconfirmed: a day after the link expired (two days after filing). Until then the
//     link's page can still say "expired" rather than "not valid";
//   - confirmed: a day after use (the request holds what it needs; the page says "already
//     used" to a second click meanwhile).
// An unconfirmed submission's confirmation e-mail goes with it: its outbox row stays as the
// record that a mail went out, addressed to "(purged)" and without its body, since nobody
// confirmed that the address wanted anything from Lethe. A confirmed one's e-mail is the
// request's, purged with it (lib/requests/retention.ts).
// The rate limit counts the last hour only, so the purge never lifts a limit early.
// Called by the cron (lib/cron.ts).

export const SUBMISSION_KEPT_HOURS = 24;

/** Deletes the submissions no link needs any more; returns how many. Set-based. */
export async function purgeRequestSubmissions(db: Db, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const cutoff = sql`${ts(now)} - make_interval(hours => ${SUBMISSION_KEPT_HOURS})`;
  const [counts] = rows<{ deleted: number }>(await db.execute(sql`
    with gone as (
      delete from request_submissions
      where (used_at is null and expires_at < ${cutoff}) or (used_at is not null and used_at < ${cutoff})
      returning id, used_at),
    mails as (
      update outbox_emails o set "to" = ${PURGED_ADDRESS}, html = null, text = null,
        body_purged_at = coalesce(o.body_purged_at, ${ts(now)})
      from gone where gone.used_at is null and o.idempotency_key = 'request-submission:' || gone.id || ':confirm'
      returning o.id)
    select (select count(*) from gone)::int as deleted, (select count(*) from mails)::int as mails`));
  return counts.deleted;
}
