import { DomainError } from "@/lib/errors";
import type { RequestDetail, RequestView } from "@/lib/requests/queries";

/**
 * The public shape of a data-subject request (SPEC §11). `dueAt` is the effective due
 * date (YYYY-MM-DD in the organisation's time zone, a running pause included), `daysLeft`
 * the days to it (negative when overdue, null once closed), `pausedDays` every day the
 * clock stood still so far.
 */
export function requestJson(r: RequestView) {
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    receivedAt: r.receivedAt,
    dueAt: r.effectiveDueAt,
    daysLeft: r.daysLeft,
    channel: r.channel,
    personId: r.personId,
    requesterName: r.requesterName,
    requesterEmail: r.requesterEmail,
    assigneeAccountId: r.assigneeAccountId,
    extensionMonths: r.extensionMonths,
    extensionReason: r.extensionReason,
    pausedDays: r.totalPausedDays,
    identityConfirmedAt: r.identityConfirmedAt,
    matchedPersonIds: r.matchedPersonIds,
    source: r.source,
    notes: r.notes,
    createdAt: r.createdAt,
    closedAt: r.closedAt,
  };
}

/** One request with its timeline: what was done, when, by which account (its e-mail while it exists). */
export function requestDetailJson(r: RequestDetail) {
  return {
    ...requestJson(r),
    timeline: r.timeline.map((e) => ({
      id: e.id, kind: e.kind, at: e.at, actorAccountId: e.actorAccountId, actor: e.actorEmail, details: e.details,
    })),
  };
}

/** A request body as an object; anything else (an array, a number, null) is refused naming the body. */
export async function requestBodyObject(read: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const body = await read();
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new DomainError("invalid_input", "The request body must be a JSON object.", { body: ["must be a JSON object"] });
  }
  return body as Record<string, unknown>;
}
