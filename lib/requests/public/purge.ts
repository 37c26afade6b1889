import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { ts } from "@/db/sql";

// Submissions of the public form hold an address, maybe a name and a free text, typed by
// anyone: they are kept no longer than their link needs them.
//   - unconfirmed: a day after the link expired (two days after filing). Until then the
//     link's page can still say "expired" rather than "not valid";
//   - confirmed: a day after use (the request holds what it needs; the page says "already
//     used" to a second click meanwhile).
// The rate limit counts the last hour only, so the purge never lifts a limit early.
// Called by the cron (lib/cron.ts).

export const SUBMISSION_KEPT_HOURS = 24;

/** Deletes the submissions no link needs any more; returns how many. Set-based. */
export async function purgeRequestSubmissions(db: Db, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const cutoff = sql`${ts(now)} - make_interval(hours => ${SUBMISSION_KEPT_HOURS})`;
  const deleted = rows(await db.execute(sql`
    delete from request_submissions
    where (used_at is null and expires_at < ${cutoff}) or (used_at is not null and used_at < ${cutoff})
    returning 1`));
  return deleted.length;
}
