import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { intArray, jsonb, ts } from "@/db/sql";
import type { WebhookDeliveryStatus } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { allowPrivateWebhookUrls, checkWebhookUrlShape } from "./address-guard";
import { type PostOutcome, postWebhook } from "./post";
import { decryptWebhookSecret, signatureHeader } from "./secret";

// Sending queued deliveries, like the outbox: a delivery is claimed with FOR UPDATE SKIP
// LOCKED, which sets a lease and increments `attempts`; every later write of that claim is
// fenced by the attempt number, so a claim whose lease ran out (its process died) and was
// taken again cannot overwrite the newer result. Concurrent cron calls never send the same
// attempt twice.
//
// Sent in rounds of `concurrency` at once, each request with its own timeout, and no round
// is started that the cron call's deadline would cut short.
//
// What an answer means:
//   2xx                      delivered.
//   3xx                      failed, not retried: redirects are never followed (the target
//                            would escape the SSRF guard), and the URL needs correcting.
//   408, 429, 5xx, no answer retried with backoff (1 min, 5 min, 30 min, 2 h, 6 h, 24 h);
//                            Retry-After on 429 and 503 is honoured up to 24 h. After the
//                            7th attempt the delivery fails.
//   other 4xx                failed, not retried: the receiver understood and refused the
//                            event, and the same signed body would be refused again.
//   address refused          failed, not retried (the SSRF guard at send time).
// A test event (`ping`) is sent once and never retried: its result is shown at once.

export const MAX_ATTEMPTS = 7;
export const BACKOFF_SECONDS = [60, 300, 1800, 7200, 21_600, 86_400] as const;
const MAX_RETRY_AFTER_SECONDS = 86_400;
const LEASE_SECONDS = 60;
export const REQUEST_TIMEOUT_MS = 10_000;

type Claimed = { id: number; attempts: number; event_id: string; event_type: string; payload: unknown; url: string; secret_encrypted: string };
type Verdict = { status: Exclude<WebhookDeliveryStatus, "sending">; code: number | null; error: string | null; delay: number };
export type AttemptResult = Verdict & { id: number; attempts: number; attemptedAt: Date; durationMs: number };

/** The wait before the next attempt after `attempts` failed ones; a Retry-After asks for longer, never for shorter. */
export function retryDelaySeconds(attempts: number, retryAfter: number | null) {
  const scheduled = BACKOFF_SECONDS[Math.min(Math.max(attempts, 1), BACKOFF_SECONDS.length) - 1];
  return retryAfter == null ? scheduled : Math.min(Math.max(scheduled, retryAfter), MAX_RETRY_AFTER_SECONDS);
}

function judge(outcome: PostOutcome, attempts: number, retryable: boolean): Verdict {
  const retry = (code: number | null, error: string, retryAfter: number | null = null): Verdict =>
    retryable && attempts < MAX_ATTEMPTS
      ? { status: "queued", code, error, delay: retryDelaySeconds(attempts, retryAfter) }
      : { status: "failed", code, error, delay: 0 };
  if (outcome.kind === "refused") return { status: "failed", code: null, error: outcome.error, delay: 0 };
  if (outcome.kind === "unreachable") return retry(null, outcome.error);
  const { status } = outcome;
  if (status >= 200 && status < 300) return { status: "delivered", code: status, error: null, delay: 0 };
  if (status >= 300 && status < 400) {
    return { status: "failed", code: status, error: `The endpoint answered with a redirect (${status}); redirects are not followed.`, delay: 0 };
  }
  const error = `The endpoint answered ${status}.`;
  if (status === 408 || status === 429 || status >= 500) return retry(status, error, status === 429 || status === 503 ? outcome.retryAfterSeconds : null);
  return { status: "failed", code: status, error, delay: 0 };
}

async function attempt(claimed: Claimed, options: { clock: () => Date; timeoutMs: number; allowPrivate: boolean }): Promise<AttemptResult> {
  const attemptedAt = options.clock();
  const base = { id: claimed.id, attempts: claimed.attempts, attemptedAt };
  const fail = (error: string): AttemptResult => ({ ...base, status: "failed", code: null, error, delay: 0, durationMs: 0 });
  let url: URL;
  let secret: string;
  try {
    url = checkWebhookUrlShape(claimed.url, options.allowPrivate);
    secret = decryptWebhookSecret(claimed.secret_encrypted);
  } catch (error) {
    if (error instanceof DomainError) return fail(error.message);
    throw error;
  }
  const body = JSON.stringify(claimed.payload);
  const outcome = await postWebhook(url, body, {
    "Lethe-Signature": signatureHeader(secret, body, attemptedAt),
    "Lethe-Event-Id": claimed.event_id,
    "Lethe-Event-Type": claimed.event_type,
  }, { timeoutMs: options.timeoutMs, allowPrivate: options.allowPrivate });
  return { ...base, ...judge(outcome, claimed.attempts, claimed.event_type !== "ping"), durationMs: outcome.durationMs };
}

const CLAIMED_COLUMNS = sql`d.id, d.attempts, d.event_id, d.event_type, d.payload, e.url, e.secret_encrypted`;

/** Due deliveries of enabled endpoints (queued and due, or sending with a lapsed lease). */
async function claimDue(db: Db, now: Date, limit: number) {
  return rows<Claimed>(await db.execute(sql`
    update webhook_deliveries d set status = 'sending', attempts = d.attempts + 1,
      lease_until = ${ts(now)} + make_interval(secs => ${LEASE_SECONDS})
    from webhook_endpoints e
    where e.id = d.endpoint_id and d.id in (
      select w.id from webhook_deliveries w join webhook_endpoints we on we.id = w.endpoint_id and we.enabled
      where (w.status = 'queued' and w.next_attempt_at <= greatest(${ts(now)}, now()))
        or (w.status = 'sending' and w.lease_until < ${ts(now)})
      order by w.next_attempt_at, w.id limit ${limit}
      for update of w skip locked)
    returning ${CLAIMED_COLUMNS}`));
}

/** Writes the results of the claims still held, in one statement; returns those written. */
async function settle(db: Db, results: AttemptResult[]) {
  if (!results.length) return [];
  const values = results.map((r) => ({ ...r, attemptedAt: r.attemptedAt.toISOString() }));
  const written = rows<{ id: number }>(await db.execute(sql`
    update webhook_deliveries d set status = v.status, lease_until = null,
      last_attempt_at = v."attemptedAt", last_status_code = v.code, last_error = v.error,
      next_attempt_at = case when v.status = 'queued' then v."attemptedAt" + make_interval(secs => v.delay) else d.next_attempt_at end,
      sent_at = case when v.status = 'delivered' then v."attemptedAt" else d.sent_at end
    from jsonb_to_recordset(${jsonb(values)}) as v(id int, attempts int, status text, code int, error text, delay int, "attemptedAt" timestamptz)
    where d.id = v.id and d.status = 'sending' and d.attempts = v.attempts
    returning d.id`));
  const kept = new Set(written.map((w) => w.id));
  return results.filter((r) => kept.has(r.id));
}

export type DeliverResult = { delivered: number; retrying: number; failed: number };

export async function deliverWebhooks(db: Db, options: {
  clock: () => Date; deadline: number; concurrency?: number; timeoutMs?: number; allowPrivate?: boolean;
}): Promise<DeliverResult> {
  const concurrency = options.concurrency ?? 5;
  const allowPrivate = options.allowPrivate ?? allowPrivateWebhookUrls();
  const result: DeliverResult = { delivered: 0, retrying: 0, failed: 0 };
  for (;;) {
    // A round takes at most one timeout: start one only if it fits before the deadline.
    const timeoutMs = Math.min(options.timeoutMs ?? REQUEST_TIMEOUT_MS, options.deadline - Date.now() - 250);
    if (timeoutMs < 1000) break;
    const claimed = await claimDue(db, options.clock(), concurrency);
    if (!claimed.length) break;
    const results = await Promise.all(claimed.map((c) => attempt(c, { clock: options.clock, timeoutMs, allowPrivate })));
    for (const r of await settle(db, results)) {
      if (r.status === "delivered") result.delivered++;
      else if (r.status === "queued") result.retrying++;
      else result.failed++;
    }
  }
  return result;
}

/** Sends one queued delivery now, whatever its endpoint's state (the test event); its result, or null if it was not queued. */
export async function deliverNow(db: Db, deliveryId: number, options: { clock?: () => Date; timeoutMs?: number } = {}): Promise<AttemptResult | null> {
  const clock = options.clock ?? (() => new Date());
  const [claimed] = rows<Claimed>(await db.execute(sql`
    update webhook_deliveries d set status = 'sending', attempts = d.attempts + 1,
      lease_until = ${ts(clock())} + make_interval(secs => ${LEASE_SECONDS})
    from webhook_endpoints e
    where e.id = d.endpoint_id and d.id = any(${intArray([deliveryId])}) and d.status = 'queued'
    returning ${CLAIMED_COLUMNS}`));
  if (!claimed) return null;
  const result = await attempt(claimed, { clock, timeoutMs: options.timeoutMs ?? REQUEST_TIMEOUT_MS, allowPrivate: allowPrivateWebhookUrls() });
  await settle(db, [result]);
  return result;
}
