import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { privacyRequests, requestSubmissions } from "@/db/schema";
import { retryTransaction } from "@/db/transaction-retry";
import { recordAudit } from "@/lib/audit";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { requestDueDate } from "@/lib/requests/clock";
import { recordRequestEvent } from "@/lib/requests/events";
import { hashToken, TOKEN_PATTERN } from "./keys";
import { findPeopleHoldingAddress } from "./match";

// The link in the confirmation e-mail (SPEC §11). Opening it only shows a button: mail
// scanners open links, and must not confirm anyone's request. Pressing the button
// consumes the link in one transaction: the request enters the queue, matched to the
// people holding the address, and the submission is marked used. A link that expired or
// was used writes nothing, and the page says which.

export type LinkState = "valid" | "expired" | "used" | "unknown";

async function stateOf(db: DbOrTx, tokenHash: string, now: Date): Promise<LinkState> {
  const [row] = await db.select({ usedAt: requestSubmissions.usedAt, expiresAt: requestSubmissions.expiresAt })
    .from(requestSubmissions).where(eq(requestSubmissions.tokenHash, tokenHash));
  if (!row) return "unknown";
  if (row.usedAt) return "used";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "valid";
}

/** What the link's page shows; reads only. */
export async function getConfirmationLinkState(db: DbOrTx, args: { token: unknown; now?: Date }): Promise<LinkState> {
  if (typeof args.token !== "string" || !TOKEN_PATTERN.test(args.token)) return "unknown";
  return stateOf(db, hashToken(args.token), args.now ?? new Date());
}

export type ConfirmOutcome = { ok: true; requestId: number } | { ok: false; reason: Exclude<LinkState, "valid"> };
const refused = (reason: Exclude<LinkState, "valid">): ConfirmOutcome => ({ ok: false, reason });

export async function confirmPublicRequest(db: Db, args: { token: unknown; now?: Date }): Promise<ConfirmOutcome> {
  if (typeof args.token !== "string" || !TOKEN_PATTERN.test(args.token)) return refused("unknown");
  const tokenHash = hashToken(args.token);
  const now = args.now ?? new Date();
  return retryTransaction(() => db.transaction(async (tx): Promise<ConfirmOutcome> => {
    // The claim is the first write and takes the row's lock: of two presses of the
    // button at once, one claims the link and the other finds it used.
    const [submission] = await tx.update(requestSubmissions).set({ usedAt: now })
      .where(and(eq(requestSubmissions.tokenHash, tokenHash), isNull(requestSubmissions.usedAt), gt(requestSubmissions.expiresAt, now)))
      .returning();
    if (!submission) {
      const state = await stateOf(tx, tokenHash, now);
      return refused(state === "valid" ? "used" : state);
    }
    const settings = await getPrivacySettings(tx);
    const matched = await findPeopleHoldingAddress(tx, submission.email);
    const receivedAt = submission.createdAt;
    const [request] = await tx.insert(privacyRequests).values({
      type: submission.type, status: "awaiting_identity", source: "public", channel: "web_form",
      requesterEmail: submission.email, requesterName: submission.name, notes: submission.text,
      receivedAt, dueAt: requestDueDate({ receivedAt, timeZone: settings.timeZone }),
      pausedSince: settings.requestClockPause ? receivedAt : null, matchedPersonIds: matched,
      createdAt: now, updatedAt: now,
    }).returning({ id: privacyRequests.id });
    await tx.update(requestSubmissions).set({ requestId: request.id }).where(eq(requestSubmissions.id, submission.id));
    await recordRequestEvent(tx, { requestId: request.id, kind: "registered", details: { source: "public", matched: matched.length } });
    await recordAudit(tx, {
      actorAccountId: null, action: "privacy_request.registered", targetType: "privacy_request", targetId: request.id,
      details: { source: "public", type: submission.type, matched: matched.length },
    });
    return { ok: true, requestId: request.id };
  }), { attempts: 3 });
}
