import type { DbOrTx } from "@/db/client";
import { privacyRequestEvents } from "@/db/schema";

// The request's timeline (SPEC §11): one row per thing done to or for a request, shown in
// order on the request page. Details hold ids, dates and words, never the requester's
// e-mail address or name (the request row holds those, and only until it is purged).
export const REQUEST_EVENT_KINDS = [
  "registered", // staff or API registered it; or a public request was confirmed by its link
  "updated", // assignee, notes, requester or person changed
  "identity_confirmed", // the person matched and confirmed: the clock runs again
  "extended", // the one extension, with its months and reason
  "withdrawn",
  "reply_sent", // a reply e-mail went to the outbox (which template, which outbox row)
  "reply_unsent", // the request was answered but has no e-mail address to reply to
  "export_built", // an access/portability export and its download link
  "export_downloaded", // the requester downloaded it
  "task_created", // an anonymisation or deletion task from the request
  "task_finished", // that task completed or failed, with its verification
  "rectified", // field-history entries linked to the request
  "prevention_set", // restriction or objection: a hold on the person
  "fulfilled",
  "refused",
  "reminder_sent", // 7 days, 1 day before the due date, or overdue
] as const;
export type RequestEventKind = (typeof REQUEST_EVENT_KINDS)[number];

export async function recordRequestEvent(
  tx: DbOrTx,
  event: { requestId: number; kind: RequestEventKind; actorAccountId?: number | null; details?: Record<string, unknown> },
) {
  await tx.insert(privacyRequestEvents).values({
    requestId: event.requestId, kind: event.kind, actorAccountId: event.actorAccountId ?? null, details: event.details ?? {},
  });
}
