import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { ts } from "@/db/sql";
import { recordAudit } from "@/lib/audit";

// The cron step "requestRetention" (SPEC §11): data-subject requests are kept for the
// limitation period after they close (privacy_settings.request_retention_months, default
// 36) and then purged, and with them the requester's name and e-mail address:
//   - the request row; its timeline and its downloads go by cascade, privacy tasks and
//     field-history entries keep their own record and lose the link (ON DELETE SET NULL);
//   - the public-form submission it came from, if still there (it holds the address), and
//     the address on the outbox rows written to the requester (extension notice, replies:
//     keys privacy-request:<id>:…; the confirmation link: request-submission:<id>:…, or,
//     its submission purged, sent to that address within a day of the receipt), whose
//     bodies are emptied too if the body retention has not yet done so. The row itself
//     stays, as the record that a mail went out;
//   - independently of any purge, an export's file is emptied once its link has expired
//     (the size and the download count stay). Public submissions have their own step
//     (lib/requests/public/purge.ts).
// Every statement is set-based and idempotent, so a second or concurrent run finds
// nothing; one audit entry gives the counts, nothing that points to a person.

export type RequestRetentionResult = {
  requests: number;
  submissions: number;
  outboxAddresses: number;
  downloadsEmptied: number;
};

/** What a purged requester's outbox rows are addressed to afterwards. */
export const PURGED_ADDRESS = "(purged)";

export async function purgeRequests(db: Db, options: { now: Date }): Promise<RequestRetentionResult> {
  const now = ts(options.now);
  return db.transaction(async (tx) => {
    const [purged] = rows<{ requests: number; submissions: number; outbox: number }>(await tx.execute(sql`
      with settings as (select coalesce((select request_retention_months from privacy_settings where id = 1), 36) as months),
      gone as (
        delete from privacy_requests r using settings s
        where r.closed_at is not null and r.closed_at < ${now} - make_interval(months => s.months)
          and r.status in ('fulfilled', 'refused', 'withdrawn')
        returning r.id, r.source, r.requester_email, r.received_at),
      submissions as (
        delete from request_submissions rs using gone where rs.request_id = gone.id returning rs.id),
      keys as (
        select 'privacy-request:' || id || ':' as prefix from gone
        union all select 'request-submission:' || id || ':' from submissions),
      outbox as (
        update outbox_emails o set "to" = ${PURGED_ADDRESS}, html = null, text = null,
          body_purged_at = coalesce(o.body_purged_at, ${now})
        where o.recipient_account_id is null and (
          exists (select 1 from keys k where left(o.idempotency_key, length(k.prefix)) = k.prefix)
          -- The confirmation link of a public request, whose submission is long gone:
          -- sent to the same address within a day of the request's receipt.
          or (o.template = 'request-confirmation' and exists (
            select 1 from gone g where g.source = 'public' and lower(o."to") = lower(g.requester_email)
              and o.created_at between g.received_at - interval '1 day' and g.received_at + interval '1 day')))
        returning o.id)
      select (select count(*) from gone)::int as requests, (select count(*) from submissions)::int as submissions,
        (select count(*) from outbox)::int as outbox`));
    const emptied = rows(await tx.execute(sql`
      update request_downloads set content = null
      where content is not null and expires_at < ${now} returning 1`));
    const result: RequestRetentionResult = {
      requests: Number(purged?.requests ?? 0),
      submissions: Number(purged?.submissions ?? 0),
      outboxAddresses: Number(purged?.outbox ?? 0),
      downloadsEmptied: emptied.length,
    };
    if (Object.values(result).some((n) => n > 0)) {
      await recordAudit(tx, {
        actorAccountId: null, action: "privacy_request.purged", targetType: "privacy_request", details: { counts: result },
      });
    }
    return result;
  });
}
