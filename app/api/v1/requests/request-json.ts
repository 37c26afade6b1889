import { z } from "zod";
import { REQUEST_CHANNELS, REQUEST_STATUSES, REQUEST_TYPES } from "@/db/schema/requests";
import { DomainError } from "@/lib/errors";
import { countSchema, daySchema, instantSchema, rowIdSchema } from "@/lib/openapi/wire";
import { REQUEST_EVENT_KINDS, type RequestEventKind } from "@/lib/requests/events";
import type { RequestDetail, RequestView } from "@/lib/requests/queries";

/**
 * The public shape of a data-subject request (SPEC §11). `dueAt` is the effective due
 * date (YYYY-MM-DD in the organisation's time zone, a running pause included), `daysLeft`
 * the days to it (negative when overdue, null once closed), `pausedDays` every day the
 * clock stood still so far.
 */
export const requestSchema = z.strictObject({
  id: rowIdSchema,
  type: z.enum(REQUEST_TYPES),
  status: z.enum(REQUEST_STATUSES),
  receivedAt: instantSchema,
  dueAt: daySchema.describe("The effective due date in the organisation's time zone, a running pause included."),
  daysLeft: z.number().int().nullable().describe("Days to the due date, negative when overdue; null once closed."),
  channel: z.enum(REQUEST_CHANNELS),
  personId: rowIdSchema.nullable(),
  requesterName: z.string().nullable(),
  requesterEmail: z.string().nullable(),
  assigneeAccountId: rowIdSchema.nullable(),
  extensionMonths: z.number().int().min(0).max(2),
  extensionReason: z.string().nullable(),
  pausedDays: countSchema.describe("Every day the clock stood still so far."),
  identityConfirmedAt: instantSchema.nullable(),
  matchedPersonIds: z.array(rowIdSchema).describe("People holding the requester's address when a public request was confirmed."),
  source: z.enum(["staff", "api", "public"]),
  notes: z.string().nullable(),
  createdAt: instantSchema,
  closedAt: instantSchema.nullable(),
}).meta({ id: "DataSubjectRequest" });

export const requestDetailSchema = requestSchema.extend({
  timeline: z.array(z.strictObject({
    id: rowIdSchema,
    kind: z.enum(REQUEST_EVENT_KINDS),
    at: instantSchema,
    actorAccountId: rowIdSchema.nullable(),
    actor: z.string().nullable().describe("The account's e-mail address while it exists."),
    details: z.record(z.string(), z.unknown()).describe("Ids, dates and words; never the requester's address or name."),
  })).describe("What was done, when and by which account, in order."),
}).meta({ id: "DataSubjectRequestDetail" });

export function requestJson(r: RequestView): z.input<typeof requestSchema> {
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
export function requestDetailJson(r: RequestDetail): z.input<typeof requestDetailSchema> {
  return {
    ...requestJson(r),
    timeline: r.timeline.map((e) => ({
      // The kind is stored as text; lib/requests/events.ts writes only these.
      id: e.id, kind: e.kind as RequestEventKind, at: e.at, actorAccountId: e.actorAccountId, actor: e.actorEmail, details: e.details,
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
