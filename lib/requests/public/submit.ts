import { createElement } from "react";
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { requestSubmissions } from "@/db/schema";
import { retryTransaction } from "@/db/transaction-retry";
import RequestConfirmationEmail, { requestConfirmationSubject } from "@/emails/request-confirmation";
import { enqueueEmail, renderEmail } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { fieldErrorsOf, unstorableFields } from "@/lib/validation";
import { clientKey, emailKey, newConfirmationToken } from "./keys";
import { publicRequestSchema } from "./schema";

// A request filed on the public form (/request, SPEC §11). Nothing here looks at who
// holds the address: the answer, the time it takes and the e-mail sent are the same for
// an address on file and one that is not; the people are matched only once the link in
// the e-mail is confirmed (confirm.ts). The submission is only a parked form: it enters
// the queue when confirmed, and is purged when it is not (purge.ts).

/** How long the confirmation link works. */
export const CONFIRMATION_HOURS = 24;

/**
 * Submissions counted per hour. Per address: a data subject who lost the e-mail may ask
 * again, but the form cannot be used to flood one inbox. Per client network (IPv4 address
 * or IPv6 /64): one sender cannot flood many inboxes. Without a trusted proxy Lethe does
 * not know the client's address (X-Forwarded-For could be forged), and all submissions
 * share one count with a higher limit instead.
 */
export const RATE_LIMITS = { perAddress: 3, perClient: 10, unknownClient: 60, windowMinutes: 60 } as const;

export type SubmitOutcome =
  | { ok: true }
  | { ok: false; code: "invalid_input"; fieldErrors: Record<string, string[]> }
  | { ok: false; code: "rate_limited" };

async function recentSubmissions(tx: DbOrTx, column: typeof requestSubmissions.emailHash | typeof requestSubmissions.ipHash, key: string, now: Date) {
  const since = new Date(now.getTime() - RATE_LIMITS.windowMinutes * 60_000);
  const [row] = await tx.select({ n: count() }).from(requestSubmissions).where(and(eq(column, key), gt(requestSubmissions.createdAt, since)));
  return row.n;
}

export async function submitPublicRequest(
  db: Db,
  args: { input: unknown; clientIp: string | null; now?: Date },
): Promise<SubmitOutcome> {
  const unstorable = unstorableFields(args.input);
  if (unstorable) return { ok: false, code: "invalid_input", fieldErrors: unstorable };
  const parsed = publicRequestSchema.safeParse(args.input);
  if (!parsed.success) return { ok: false, code: "invalid_input", fieldErrors: fieldErrorsOf(parsed.error) };
  const request = parsed.data;
  const now = args.now ?? new Date();
  const keys = { email: emailKey(request.email), ip: clientKey(args.clientIp) };
  const clientLimit = args.clientIp ? RATE_LIMITS.perClient : RATE_LIMITS.unknownClient;

  return retryTransaction(() => db.transaction(async (tx) => {
    // Concurrent submissions under one key wait for each other, so the count below is
    // exact: twenty parallel posts get the limit's number of e-mails, not twenty.
    for (const key of [keys.email, keys.ip].sort()) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`request-form:${key}`}))`);
    if (await recentSubmissions(tx, requestSubmissions.emailHash, keys.email, now) >= RATE_LIMITS.perAddress
      || await recentSubmissions(tx, requestSubmissions.ipHash, keys.ip, now) >= clientLimit) {
      return { ok: false as const, code: "rate_limited" as const };
    }
    const { token, tokenHash } = newConfirmationToken();
    const expiresAt = new Date(now.getTime() + CONFIRMATION_HOURS * 3_600_000);
    const [submission] = await tx.insert(requestSubmissions).values({
      type: request.type, email: request.email, name: request.name, text: request.text,
      tokenHash, ipHash: keys.ip, emailHash: keys.email, expiresAt, createdAt: now,
    }).returning({ id: requestSubmissions.id });
    // In the organisation's language: the form does not know the reader's.
    const settings = await getPrivacySettings(tx);
    const props = {
      locale: settings.language, timeZone: settings.timeZone, organisationName: settings.organisationName,
      type: request.type, expiresAt, confirmUrl: `${env().APP_URL.replace(/\/+$/, "")}/request/confirm/${token}`,
    };
    const { html, text } = await renderEmail(createElement(RequestConfirmationEmail, props));
    await enqueueEmail(tx, {
      idempotencyKey: `request-submission:${submission.id}:confirm`, template: "request-confirmation",
      to: request.email, subject: requestConfirmationSubject(props), html, text,
    });
    return { ok: true as const };
  }), { attempts: 3 });
}
