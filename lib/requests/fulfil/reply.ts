import { createElement } from "react";
import type { DbOrTx } from "@/db/client";
import type { PrivacyRequest } from "@/db/schema";
import RequestReplyEmail, { requestReplySubject } from "@/emails/request-reply";
import { enqueueEmail, renderEmail } from "@/lib/email/outbox";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { recordRequestEvent } from "@/lib/requests/events";
import type { LocalDate } from "@/lib/schedule/clock";
import { replyAddressOf } from "./request-row";
import type { RefusalBasis } from "./schemas";

// Every outcome of a request is told to the requester: a reply from the React Email
// template, in the organisation's language, through the outbox, in the transaction that
// closed the request. The timeline keeps which outbox row carried it; where there is no
// address to write to, the timeline says so and staff answer by letter.

export type ReplyInput = {
  request: Pick<PrivacyRequest, "id" | "type" | "requesterEmail" | "personId">;
  outcome: "fulfilled" | "refused";
  refusalBasis?: RefusalBasis | null;
  reply?: string | null;
  download?: { url: string; expiresOn: LocalDate } | null;
  actorAccountId: number | null;
};

export async function sendRequestReply(tx: DbOrTx, input: ReplyInput) {
  const { request, outcome } = input;
  const to = await replyAddressOf(tx, request);
  if (!to) {
    await recordRequestEvent(tx, { requestId: request.id, kind: "reply_unsent", actorAccountId: input.actorAccountId, details: { outcome, cause: "no_address" } });
    return { outboxId: null };
  }
  const { language, timeZone, organisationName } = await getPrivacySettings(tx);
  const props = {
    locale: language, timeZone, organisationName, requestId: request.id, type: request.type, outcome,
    refusalBasis: input.refusalBasis ?? null, reply: input.reply ?? null,
    downloadUrl: input.download?.url ?? null, downloadExpiresOn: input.download?.expiresOn ?? null,
  };
  const { html, text } = await renderEmail(createElement(RequestReplyEmail, props));
  const { id } = await enqueueEmail(tx, {
    idempotencyKey: `privacy-request:${request.id}:reply:${outcome}`, template: "request-reply", to,
    subject: requestReplySubject(props), html, text,
  });
  await recordRequestEvent(tx, { requestId: request.id, kind: "reply_sent", actorAccountId: input.actorAccountId, details: { outboxId: id, template: "request-reply", outcome } });
  return { outboxId: id };
}
