import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type PrivacyRequest, privacyRequests } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { describeFieldErrors } from "@/lib/validation";
import { savePrevention } from "@/lib/privacy/prevention/prevention";
import { recordRequestEvent } from "@/lib/requests/events";
import { closedPause } from "@/lib/requests/requests";
import { buildRequestExport } from "./export";
import { sendRequestReply } from "./reply";
import { lockRequest, preventionReasonOf, replyAddressOf, requireAnswerable, requirePerson } from "./request-row";
import { type FulfilRequestInput, fulfilRequestSchema, type RefuseRequestInput, refuseRequestSchema } from "./schemas";

// Answering a data-subject request from its page or the API (SPEC §11). One operation
// fulfils, whatever the type, doing what the type asks in the same transaction as the
// close and the reply:
// - access, portability: the export is built and the reply carries its download link;
// - rectification: the corrections were made in the person's edit form, linked to the
//   request (rectification.ts); this closes it with the reply;
// - restriction, objection: a prevention is set on the person with the request as its
//   reason, then the request is closed with the reply;
// - erasure is not fulfilled by hand: the task created from the request fulfils it when
//   it completes with a clean verification (erasure.ts), so a call here is a conflict.
// A refusal names its legal basis and needs a written reply. Either way nothing is
// written unless everything is.

async function closeRequest(
  tx: DbOrTx, request: PrivacyRequest, actor: Actor,
  outcome: { status: "fulfilled" | "refused"; reply: string | null; refusalBasis?: string | null; now: Date },
) {
  // A request refused while its identity was unconfirmed stops its paused clock here.
  const clock = request.pausedSince ? closedPause(request, outcome.now, actor.timeZone) : {};
  await tx.update(privacyRequests).set({
    ...clock, status: outcome.status, reply: outcome.reply, refusalBasis: outcome.refusalBasis ?? null, closedAt: outcome.now, updatedAt: outcome.now,
  }).where(eq(privacyRequests.id, request.id));
  await recordRequestEvent(tx, {
    requestId: request.id, kind: outcome.status, actorAccountId: actor.accountId,
    details: outcome.refusalBasis ? { refusalBasis: outcome.refusalBasis } : {},
  });
  // The reply itself stays on the request; the log keeps what happened, not the words.
  await recordAudit(tx, {
    actorAccountId: actor.accountId, action: `privacy_request.${outcome.status}`, targetType: "privacy_request", targetId: request.id,
    details: { type: request.type, personId: request.personId, ...(outcome.refusalBasis ? { refusalBasis: outcome.refusalBasis } : {}) },
  });
}

type AnswerContext = { tx: DbOrTx; actor: Actor };

/** Fulfils the request as its type asks (see above); shared by the page's operation and the API's PATCH. */
export async function applyFulfilment({ tx, actor }: AnswerContext, input: FulfilRequestInput) {
  const now = new Date();
  const request = await lockRequest(tx, input.requestId);
  requireAnswerable(request);
  if (request.type === "erasure") {
    throw new DomainError("conflict", "An erasure request is fulfilled by its anonymisation or deletion task when the task completes clean: create the task from the request.", { type: ["is erasure"] });
  }
  const person = await requirePerson(tx, request);
  let download: Awaited<ReturnType<typeof buildRequestExport>> | null = null;
  if (request.type === "access" || request.type === "portability") {
    if (!(await replyAddressOf(tx, request))) {
      throw new DomainError("rule_violation", "The request has no e-mail address to send the download link to.", { requesterEmail: ["is required for a download link"] });
    }
    download = await buildRequestExport(tx, request, person.id, { actorAccountId: actor.accountId, now });
  }
  if (request.type === "restriction" || request.type === "objection") {
    const reason = preventionReasonOf(request);
    const set = await savePrevention(tx, actor, { personId: person.id, reason, expiresAt: input.preventionUntil ?? null }, now).catch((error: unknown) => {
      // The prevention calls its day expiresAt; the caller gave it as preventionUntil.
      const expiresAt = error instanceof DomainError ? error.fieldErrors?.expiresAt : undefined;
      if (!expiresAt) throw error;
      const fieldErrors = { preventionUntil: expiresAt };
      throw new DomainError((error as DomainError).code, describeFieldErrors(fieldErrors), fieldErrors);
    });
    await recordRequestEvent(tx, {
      requestId: request.id, kind: "prevention_set", actorAccountId: actor.accountId,
      details: { personId: person.id, reason, expiresOn: set.expiresOn },
    });
  }
  await closeRequest(tx, request, actor, { status: "fulfilled", reply: input.reply ?? null, now });
  const sent = await sendRequestReply(tx, {
    request, outcome: "fulfilled", reply: input.reply ?? null, actorAccountId: actor.accountId,
    download: download ? { url: download.url, expiresOn: download.expiresOn } : null,
  });
  return {
    id: request.id, status: "fulfilled" as const, outboxId: sent.outboxId,
    download: download ? { id: download.downloadId, expiresAt: download.expiresAt } : null,
  };
}

export const fulfilRequest = defineOperation({
  name: "fulfilRequest",
  permission: "privacy.requests",
  input: fulfilRequestSchema,
  run: ({ tx, actor, input }) => applyFulfilment({ tx, actor }, input),
});

/** Refuses the request on a legal basis with a written reply; shared by the page's operation and the API's PATCH. */
export async function applyRefusal({ tx, actor }: AnswerContext, input: RefuseRequestInput) {
  const now = new Date();
  const request = await lockRequest(tx, input.requestId);
  // A request still awaiting identity may be refused: Art. 11(2), the requester cannot be identified.
  if (request.status !== "awaiting_identity") requireAnswerable(request);
  await closeRequest(tx, request, actor, { status: "refused", reply: input.reply, refusalBasis: input.refusalBasis, now });
  const sent = await sendRequestReply(tx, { request, outcome: "refused", refusalBasis: input.refusalBasis, reply: input.reply, actorAccountId: actor.accountId });
  return { id: request.id, status: "refused" as const, outboxId: sent.outboxId };
}

export const refuseRequest = defineOperation({
  name: "refuseRequest",
  permission: "privacy.requests",
  input: refuseRequestSchema,
  run: ({ tx, actor, input }) => applyRefusal({ tx, actor }, input),
});
