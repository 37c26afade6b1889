import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { jsonb, textArray, ts } from "@/db/sql";
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
    // The requests due for purging, deleted with their submissions; what the outbox needs
    // to find their mails comes back (a handful a day, none on most calls).
    const gone = rows<{ id: number; source: string; requester_email: string | null; received_at: string; submission_ids: number[] | null }>(await tx.execute(sql`
      with settings as (select coalesce((select request_retention_months from privacy_settings where id = 1), 36) as months),
      gone as (
        delete from privacy_requests r using settings s
        where r.closed_at is not null and r.closed_at < ${now} - make_interval(months => s.months)
          and r.status in ('fulfilled', 'refused', 'withdrawn')
        returning r.id, r.source, r.requester_email, r.received_at),
      submissions as (
        delete from request_submissions rs using gone where rs.request_id = gone.id returning rs.id, rs.request_id)
      select g.id, g.source, g.requester_email, g.received_at::text,
        (select array_agg(s.id order by s.id) from submissions s where s.request_id = g.id) as submission_ids
      from gone g order by g.id`));
    let outbox = 0;
    if (gone.length) {
      const prefixes = [
        ...gone.map((g) => `privacy-request:${g.id}:`),
        ...gone.flatMap((g) => (g.submission_ids ?? []).map((id) => `request-submission:${id}:`)),
      ];
      const publicOnes = gone.filter((g) => g.source === "public" && g.requester_email)
        .map((g) => ({ email: g.requester_email!.toLowerCase(), received_at: g.received_at }));
      outbox = rows(await tx.execute(sql`
        update outbox_emails o set "to" = ${PURGED_ADDRESS}, html = null, text = null,
          body_purged_at = coalesce(o.body_purged_at, ${now})
        where o.recipient_account_id is null and (
          exists (select 1 from unnest(${textArray(prefixes)}) k(prefix) where left(o.idempotency_key, length(k.prefix)) = k.prefix)
          -- The confirmation link of a public request, whose submission is long gone:
          -- sent to the same address within a day of the request's receipt.
          or (o.template = 'request-confirmation' and exists (
            select 1 from jsonb_to_recordset(${jsonb(publicOnes)}) g(email text, received_at timestamptz)
            where lower(o."to") = g.email and o.created_at between g.received_at - interval '1 day' and g.received_at + interval '1 day')))
        returning o.id`)).length;
    }
    const emptied = rows(await tx.execute(sql`
      update request_downloads set content = null
      where content is not null and expires_at < ${now} returning 1`));
    const result: RequestRetentionResult = {
      requests: gone.length,
      submissions: gone.reduce((n, g) => n + (g.submission_ids?.length ?? 0), 0),
      outboxAddresses: outbox,
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
