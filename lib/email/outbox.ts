import { type SQL, sql } from "drizzle-orm";
import type { ReactElement } from "react";
import { render, toPlainText } from "@react-email/components";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { outboxEmails } from "@/db/schema";
import { ts } from "@/db/sql";
import { configuredResendTransport, type EmailTransport, retryDelaySeconds } from "./resend";

// Every e-mail is written to the outbox first, in the transaction of the work that
// caused it, under an idempotency key: nothing is lost when the process dies and
// nothing is queued twice. `deliverOutbox` (a cron step) sends what is due.
//
// With RESEND_API_KEY the Resend transport (resend.ts) sends them. Without it there is
// no transport: due e-mails are marked `kept` — they never left Lethe, and the outbox
// (which administrators read in the browser) is where they stay. Taking them out of
// `queued` lets the body-retention purge apply to them, and a later RESEND_API_KEY does
// not suddenly mail out months-old notices.
//
// A claim increments `attempts`, and every later write of that claim is fenced by it:
// if the lease runs out while a slow batch is still sending, another run may claim the
// mail again, and the first run's late result must not overwrite what the second did.

export const OUTBOX_ONLY_PROVIDER = "outbox-only";
const MAX_ATTEMPTS = 5;
const LEASE_SECONDS = 120;
const PURGED_MESSAGE = "Not sent: its body was purged because it named a person who has since been anonymised or deleted.";

export type OutgoingEmail = {
  idempotencyKey: string;
  template: string;
  to: string;
  recipientAccountId?: number | null;
  subject: string;
  html: string;
  text: string;
};

/** Queues an e-mail; a second call with the same idempotency key changes nothing. */
export async function enqueueEmail(tx: DbOrTx, email: OutgoingEmail) {
  const inserted = await tx
    .insert(outboxEmails)
    .values({ ...email, recipientAccountId: email.recipientAccountId ?? null })
    .onConflictDoNothing({ target: outboxEmails.idempotencyKey })
    .returning({ id: outboxEmails.id });
  return { id: inserted[0]?.id ?? null, created: inserted.length > 0 };
}

/** Renders a React Email element to the HTML and plain-text bodies stored in the outbox. */
export async function renderEmail(element: ReactElement) {
  // The plain text from the rendered HTML (what `render(…, { plainText: true })` does after
  // rendering the element a second time): one render instead of two.
  const html = await render(element);
  return { html, text: toPlainText(html) };
}

export type DeliveryResult = { transport: string; sent: number; kept: number; failed: number; retrying: number };

export async function deliverOutbox(
  db: Db,
  options: { now?: Date; transport?: EmailTransport | null; limit?: number } = {},
): Promise<DeliveryResult> {
  const now = options.now ?? new Date();
  // Due by the caller's clock or the database's (which stamped `next_attempt_at`): a few
  // milliseconds of skew between the two must not hold back a mail queued just now.
  const due = sql`next_attempt_at <= greatest(${ts(now)}, now())`;
  const transport = options.transport === undefined ? configuredResendTransport() : options.transport;
  if (!transport) {
    const done = await db.execute(sql`
      update ${outboxEmails} set status = 'kept', lease_until = null
      where status = 'queued' and ${due} returning id`);
    return { transport: OUTBOX_ONLY_PROVIDER, sent: 0, kept: rows(done).length, failed: 0, retrying: 0 };
  }

  // Claimed with SKIP LOCKED and a lease: concurrent cron calls never take the same mail.
  const claimed = rows<{ id: number; to: string; subject: string; html: string | null; text: string | null; idempotency_key: string; attempts: number }>(
    await db.execute(sql`
      update ${outboxEmails} o set status = 'sending', attempts = o.attempts + 1,
        lease_until = ${ts(now)} + make_interval(secs => ${LEASE_SECONDS})
      where o.id in (
        select id from ${outboxEmails}
        where (status = 'queued' and ${due}) or (status = 'sending' and lease_until < ${ts(now)})
        order by id limit ${options.limit ?? 100} for update skip locked)
      returning o.id, o."to", o.subject, o.html, o.text, o.idempotency_key, o.attempts`),
  );
  const result: DeliveryResult = { transport: transport.name, sent: 0, kept: 0, failed: 0, retrying: 0 };
  for (const mail of claimed) {
    // Applies only while this claim still holds the mail; says whether it did.
    const settle = async (set: SQL) =>
      rows(await db.execute(sql`update ${outboxEmails} set ${set}, lease_until = null
        where id = ${mail.id} and status = 'sending' and attempts = ${mail.attempts} returning id`)).length > 0;
    // Anonymising or deleting a person purges stored e-mails that name them, queued ones
    // included: such an e-mail is not sent empty, it fails with the reason.
    if (mail.html == null && mail.text == null) {
      if (await settle(sql`status = 'failed', last_error = ${PURGED_MESSAGE}`)) result.failed++;
      continue;
    }
    const sent = await transport
      .send({ to: mail.to, subject: mail.subject, html: mail.html ?? "", text: mail.text ?? "", idempotencyKey: mail.idempotency_key })
      .catch((error: unknown) => ({ ok: false as const, retryable: true, error: error instanceof Error ? error.message : String(error), retryAfterSeconds: undefined }));
    if (sent.ok) {
      // If a later claim took the mail meanwhile, the provider answered both with the
      // same idempotency key: it went out once, and the later claim records it.
      if (await settle(sql`status = 'sent', provider_id = ${sent.providerId}, sent_at = now(), last_error = null`)) result.sent++;
      continue;
    }
    const giveUp = !sent.retryable || mail.attempts >= MAX_ATTEMPTS;
    const settled = await settle(sql`status = ${giveUp ? "failed" : "queued"}, last_error = ${sent.error.slice(0, 500)},
      next_attempt_at = ${ts(now)} + make_interval(secs => ${retryDelaySeconds(mail.attempts, sent.retryAfterSeconds)})`);
    if (!settled) continue;
    if (giveUp) result.failed++;
    else result.retrying++;
  }
  return result;
}
