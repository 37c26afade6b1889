import { and, eq, inArray } from "drizzle-orm";
import { createElement } from "react";
import type { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { people, type PrivacyRequest, privacyRequests, privacyTasks, type RequestStatus } from "@/db/schema";
import RequestExtendedEmail, { requestExtendedSubject } from "@/emails/request-extended";
import { type Actor, loadActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit";
import { enqueueEmail, renderEmail } from "@/lib/email/outbox";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { describeFieldErrors } from "@/lib/validation";
import { withoutSubjectIdentifiers } from "@/lib/privacy/prevention/prevention";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { addDays, daysBetween, localDate, zonedTime } from "@/lib/schedule/clock";
import { pausedDaysBetween, requestDueDate } from "./clock";
import { recordRequestEvent } from "./events";
import { selectRequestView } from "./queries";
import {
  confirmRequestIdentitySchema, extendRequestSchema, registerRequestSchema, updateRequestSchema, withdrawRequestSchema,
} from "./schemas";

// Registering a data-subject request and moving its statutory clock (SPEC §11). Every
// change is one transaction: the row, its timeline event, the audit entry (ids and words,
// never the requester's name or address) and any e-mail to the requester (the outbox).
//
// - A person chosen by staff is taken to be the requester unless staff say otherwise; a
//   requester known only by name and e-mail address starts awaiting identity. While
//   identity is unconfirmed and privacy_settings.request_clock_pause is on, the clock
//   stands still from the received time; confirming the identity closes the pause and
//   adds its whole days to the due date.
// - A request can name a person who exists and has not been anonymised: an anonymised
//   record no longer says who it was, so a former person's request is registered by name
//   and e-mail address and matched by hand.
// - The one extension adds 1 or 2 months (three months in all at most), needs a reason,
//   and tells the requester why and the new date.
// - A closed request (fulfilled, refused, withdrawn) cannot be changed.

export const CLOSED_STATUSES: readonly RequestStatus[] = ["fulfilled", "refused", "withdrawn"];

export function isClosedStatus(status: RequestStatus) {
  return CLOSED_STATUSES.includes(status);
}

/**
 * The instant a request was received: an ISO instant as given, a wall-clock time or a
 * bare day (its first moment) in the organisation's time zone.
 */
export function receivedInstant(value: string, timeZone: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/.exec(value);
  if (!m) return new Date(value);
  const [, day, hour = "0", minute = "0", second = "0"] = m;
  return new Date(zonedTime(day, Number(hour), timeZone).getTime() + (Number(minute) * 60 + Number(second)) * 1000);
}

/** Client clocks run a little ahead or behind: a received time up to a minute ahead of the server's is "now". */
const FUTURE_TOLERANCE_MS = 60_000;

function invalid(field: string, fieldMessage: string): never {
  const fieldErrors = { [field]: [fieldMessage] };
  throw new DomainError("invalid_input", describeFieldErrors(fieldErrors), fieldErrors);
}

/** The person a request is about: they must exist and still be identifiable. */
export async function assertRequestPerson(tx: DbOrTx, personId: number, field = "personId") {
  const [person] = await tx.select({ id: people.id, anonymisedAt: people.anonymisedAt, email: people.email })
    .from(people).where(eq(people.id, personId));
  if (!person) throw new DomainError("invalid_input", `Person ${personId} does not exist.`, { [field]: ["does not exist"] });
  if (person.anonymisedAt) invalid(field, "has been anonymised: register the requester by name and e-mail address instead");
  return person;
}

/** An assignee is an active account that may handle requests. */
async function assertAssignee(tx: DbOrTx, accountId: number) {
  const account = await loadActor(tx, accountId);
  if (!account || !account.permissions.includes("privacy.requests")) {
    invalid("assigneeAccountId", "must be an active account that may handle requests (privacy.requests)");
  }
}

/** The request, locked for the change; not found, or closed (409 naming `status`), is refused. */
export async function lockOpenRequest(tx: DbOrTx, requestId: number): Promise<PrivacyRequest> {
  const [request] = await tx.select().from(privacyRequests).where(eq(privacyRequests.id, requestId)).for("update");
  if (!request) throw new DomainError("not_found", `Request #${requestId} does not exist.`);
  if (isClosedStatus(request.status)) {
    throw new DomainError("conflict", `Request #${requestId} is closed; it cannot be changed.`, { status: ["is closed: fulfilled, refused or withdrawn"] });
  }
  return request;
}

/**
 * The clock with a running pause closed at `now`: its whole days added, the stored due date
 * moved by them. The stored date is the base, not the received time read again: the
 * organisation's time zone may have changed since, and the received day with it.
 */
export function closedPause(request: PrivacyRequest, now: Date, timeZone: string) {
  const running = request.pausedSince ? pausedDaysBetween(request.pausedSince, now, timeZone) : 0;
  return { pausedDays: request.pausedDays + running, pausedSince: null, dueAt: addDays(request.dueAt, running) };
}

/**
 * The stored due date moved by an extension of `months`: by as many days as the months add
 * to the statutory month in today's calendar (31 January + 1 → 28 February, + 2 → 31 March:
 * 31 days), so a time zone changed since registration cannot move the date back a day.
 */
function extendedDueAt(request: PrivacyRequest, months: number, timeZone: string) {
  const base = requestDueDate({ receivedAt: request.receivedAt, timeZone });
  return addDays(request.dueAt, daysBetween(base, requestDueDate({ receivedAt: request.receivedAt, timeZone, extensionMonths: months })));
}

/**
 * Words staff typed about a request, as the audit log keeps them: the requester's name,
 * address and the person's identifiers masked (the log outlives the request, SPEC §13).
 */
async function auditText(tx: DbOrTx, request: Pick<PrivacyRequest, "personId" | "requesterName" | "requesterEmail">, text: string) {
  const { defaultPhoneCountry } = await getPrivacySettings(tx);
  let out = text;
  if (request.requesterName || request.requesterEmail) {
    const name = (request.requesterName ?? "").replace(/[-‐‑'’.,]+/g, " ");
    out = withoutSubjectIdentifiers(out, { first_name: name, last_name: "", email: request.requesterEmail }, defaultPhoneCountry);
  }
  if (request.personId !== null) {
    const [person] = await tx.select({ first_name: people.firstName, last_name: people.lastName, email: people.email, phone: people.phone, external_id: people.externalId })
      .from(people).where(eq(people.id, request.personId));
    if (person) {
      const split = (v: string) => v.replace(/[-‐‑'’.,]+/g, " ");
      out = withoutSubjectIdentifiers(out, { ...person, first_name: split(person.first_name), last_name: split(person.last_name) }, defaultPhoneCountry);
    }
  }
  return out;
}

function audit(tx: DbOrTx, actor: Actor | null, action: string, requestId: number, details: Record<string, unknown>) {
  return recordAudit(tx, { actorAccountId: actor?.accountId ?? null, action: `privacy_request.${action}`, targetType: "privacy_request", targetId: requestId, details });
}

type Ctx = { tx: DbOrTx; actor: Actor; now?: Date };

export async function saveRegisteredRequest(
  { tx, actor, now = new Date() }: Ctx,
  input: z.output<typeof registerRequestSchema>,
  source: "staff" | "api",
) {
  const timeZone = actor.timeZone;
  const receivedAt = receivedInstant(input.receivedAt, timeZone);
  if (receivedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) invalid("receivedAt", "must not be in the future");
  if (receivedAt.getUTCFullYear() < 2000) invalid("receivedAt", "must be in the year 2000 or later");
  if (input.personId !== undefined) await assertRequestPerson(tx, input.personId);
  if (input.assigneeAccountId !== undefined) await assertAssignee(tx, input.assigneeAccountId);
  const settings = await getPrivacySettings(tx);
  const confirmed = input.personId !== undefined && input.identityConfirmed !== false;
  const [created] = await tx.insert(privacyRequests).values({
    type: input.type,
    status: confirmed ? "open" : "awaiting_identity",
    personId: input.personId ?? null,
    requesterName: input.requesterName ?? null,
    requesterEmail: input.requesterEmail ?? null,
    channel: input.channel,
    receivedAt,
    dueAt: requestDueDate({ receivedAt, timeZone }),
    pausedSince: !confirmed && settings.requestClockPause ? receivedAt : null,
    identityConfirmedAt: confirmed ? now : null,
    assigneeAccountId: input.assigneeAccountId ?? null,
    notes: input.notes ?? null,
    source,
    createdByAccountId: actor.accountId,
  }).returning();
  await recordRequestEvent(tx, {
    requestId: created.id, kind: "registered", actorAccountId: actor.accountId,
    details: { source, channel: created.channel, identityConfirmed: confirmed, paused: created.pausedSince !== null },
  });
  await audit(tx, actor, "registered", created.id, {
    type: created.type, channel: created.channel, source, personId: created.personId, identityConfirmed: confirmed,
    assigneeAccountId: created.assigneeAccountId, dueAt: created.dueAt,
  });
  return created;
}

export async function applyIdentityConfirmation({ tx, actor, now = new Date() }: Ctx, input: { requestId: number; personId: number }) {
  const request = await lockOpenRequest(tx, input.requestId);
  if (request.status !== "awaiting_identity") {
    throw new DomainError("conflict", `The identity of request #${request.id} is already confirmed.`, { identityConfirmed: ["is already confirmed"] });
  }
  await assertRequestPerson(tx, input.personId);
  const clock = closedPause(request, now, actor.timeZone);
  const [updated] = await tx.update(privacyRequests).set({
    ...clock, personId: input.personId, identityConfirmedAt: now, status: request.extensionMonths ? "extended" : "open", updatedAt: now,
  }).where(eq(privacyRequests.id, request.id)).returning();
  const details = { personId: input.personId, matched: request.matchedPersonIds.includes(input.personId), pausedDays: updated.pausedDays, dueAt: updated.dueAt };
  await recordRequestEvent(tx, { requestId: request.id, kind: "identity_confirmed", actorAccountId: actor.accountId, details });
  await audit(tx, actor, "identity_confirmed", request.id, details);
  return updated;
}

/** The requester's address for replies: the one they gave, else the person's. */
export async function requesterAddress(tx: DbOrTx, request: Pick<PrivacyRequest, "requesterEmail" | "personId">) {
  if (request.requesterEmail) return request.requesterEmail;
  if (request.personId === null) return null;
  const [person] = await tx.select({ email: people.email }).from(people).where(eq(people.id, request.personId));
  return person?.email ?? null;
}

export async function applyExtension({ tx, actor, now = new Date() }: Ctx, input: { requestId: number; months: number; reason: string }) {
  const request = await lockOpenRequest(tx, input.requestId);
  if (request.extensionMonths > 0) {
    throw new DomainError("conflict", `Request #${request.id} was already extended; a request can be extended only once.`,
      { extension: ["was already given: a request can be extended only once"] });
  }
  const timeZone = actor.timeZone;
  const dueAt = extendedDueAt(request, input.months, timeZone);
  const [updated] = await tx.update(privacyRequests).set({
    extensionMonths: input.months, extensionReason: input.reason, extendedAt: now, dueAt,
    status: request.status === "awaiting_identity" ? "awaiting_identity" : "extended", updatedAt: now,
  }).where(eq(privacyRequests.id, request.id)).returning();
  await recordRequestEvent(tx, { requestId: request.id, kind: "extended", actorAccountId: actor.accountId, details: { months: input.months, reason: input.reason, dueAt } });
  await audit(tx, actor, "extended", request.id, { months: input.months, reason: await auditText(tx, request, input.reason), dueAt });
  const to = await requesterAddress(tx, request);
  if (to) {
    const settings = await getPrivacySettings(tx);
    // In the organisation's language: the requester has no account and chose none.
    const props = {
      locale: settings.language, timeZone, requestId: request.id, receivedOn: localDate(request.receivedAt, timeZone),
      // The date as the requester should plan with it: a pause still running moves it on.
      dueOn: updated.pausedSince ? null : dueAt, months: input.months, reason: input.reason, organisationName: settings.organisationName,
    };
    const { html, text } = await renderEmail(createElement(RequestExtendedEmail, props));
    const queued = await enqueueEmail(tx, {
      idempotencyKey: `privacy-request:${request.id}:extended`, template: "request-extended", to, subject: requestExtendedSubject(props), html, text,
    });
    await recordRequestEvent(tx, { requestId: request.id, kind: "reply_sent", actorAccountId: actor.accountId, details: { template: "request-extended", outboxId: queued.id } });
  }
  return updated;
}

export async function applyRequestUpdate({ tx, actor, now = new Date() }: Ctx, input: { requestId: number; assigneeAccountId?: number | null; notes?: string | null }) {
  const request = await lockOpenRequest(tx, input.requestId);
  const changes: Partial<PrivacyRequest> = {};
  if (input.assigneeAccountId !== undefined && input.assigneeAccountId !== request.assigneeAccountId) {
    if (input.assigneeAccountId !== null) await assertAssignee(tx, input.assigneeAccountId);
    changes.assigneeAccountId = input.assigneeAccountId;
  }
  if (input.notes !== undefined && (input.notes || null) !== request.notes) changes.notes = input.notes || null;
  const fields = Object.keys(changes);
  if (!fields.length) return request;
  const [updated] = await tx.update(privacyRequests).set({ ...changes, updatedAt: now }).where(eq(privacyRequests.id, request.id)).returning();
  // The notes' words stay on the request: the timeline and the log say only that they changed.
  const details = { fields, ...("assigneeAccountId" in changes ? { assigneeAccountId: updated.assigneeAccountId } : {}) };
  await recordRequestEvent(tx, { requestId: request.id, kind: "updated", actorAccountId: actor.accountId, details });
  await audit(tx, actor, "updated", request.id, details);
  return updated;
}

/**
 * Closes an open request as fulfilled, refused or withdrawn: the pause (if any) closed,
 * `closedAt` set, the timeline event of that name and the audit entry written. For the
 * fulfilment's outcomes as for a withdrawal; the caller holds the transaction.
 */
export async function closeRequest(
  tx: DbOrTx,
  input: { requestId: number; status: "fulfilled" | "refused" | "withdrawn"; actor: Actor | null; timeZone: string; now?: Date; details?: Record<string, unknown>; changes?: Partial<PrivacyRequest> },
) {
  const now = input.now ?? new Date();
  const request = await lockOpenRequest(tx, input.requestId);
  const clock = request.pausedSince ? closedPause(request, now, input.timeZone) : {};
  const [updated] = await tx.update(privacyRequests).set({ ...input.changes, ...clock, status: input.status, closedAt: now, updatedAt: now })
    .where(eq(privacyRequests.id, request.id)).returning();
  const details = input.details ?? {};
  await recordRequestEvent(tx, { requestId: request.id, kind: input.status, actorAccountId: input.actor?.accountId ?? null, details });
  const logged = typeof details.reason === "string" ? { ...details, reason: await auditText(tx, request, details.reason) } : details;
  await audit(tx, input.actor, input.status, request.id, logged);
  return updated;
}

export async function applyWithdrawal({ tx, actor, now = new Date() }: Ctx, input: { requestId: number; reason?: string }) {
  // An erasure on its way from the request is not stopped by a withdrawal: it would erase
  // the person all the same, for a request that says withdrawn. Its task is cancelled first.
  await lockOpenRequest(tx, input.requestId);
  const [task] = await tx.select({ id: privacyTasks.id, status: privacyTasks.status }).from(privacyTasks)
    .where(and(eq(privacyTasks.requestId, input.requestId), inArray(privacyTasks.status, ["queued", "running", "awaiting_approval"])));
  if (task) {
    if (task.status === "running") {
      throw new DomainError("conflict", `Task #${task.id} from this request is running; the request cannot be withdrawn while it erases.`,
        { status: [`has task #${task.id} running`] });
    }
    throw new DomainError("conflict", `Task #${task.id} from this request has not started yet; cancel it before withdrawing the request.`,
      { status: [`has task #${task.id} waiting: cancel it first`] });
  }
  return closeRequest(tx, { requestId: input.requestId, status: "withdrawn", actor, timeZone: actor.timeZone, now, details: input.reason ? { reason: input.reason } : {} });
}

// ---------------------------------------------------------------- the operations

export const registerRequest = defineOperation({
  name: "registerRequest",
  permission: "privacy.requests",
  input: registerRequestSchema,
  async run({ tx, actor, input }) {
    const created = await saveRegisteredRequest({ tx, actor }, input, "staff");
    return { id: created.id };
  },
});

export const confirmRequestIdentity = defineOperation({
  name: "confirmRequestIdentity",
  permission: "privacy.requests",
  input: confirmRequestIdentitySchema,
  async run({ tx, actor, input }) {
    const updated = await applyIdentityConfirmation({ tx, actor }, input);
    return { id: updated.id, dueAt: updated.dueAt, pausedDays: updated.pausedDays };
  },
});

export const extendRequest = defineOperation({
  name: "extendRequest",
  permission: "privacy.requests",
  input: extendRequestSchema,
  async run({ tx, actor, input }) {
    const updated = await applyExtension({ tx, actor }, input);
    return { id: updated.id, dueAt: updated.dueAt };
  },
});

export const updateRequest = defineOperation({
  name: "updateRequest",
  permission: "privacy.requests",
  input: updateRequestSchema,
  async run({ tx, actor, input }) {
    const updated = await applyRequestUpdate({ tx, actor }, input);
    return { id: updated.id };
  },
});

export const withdrawRequest = defineOperation({
  name: "withdrawRequest",
  permission: "privacy.requests",
  input: withdrawRequestSchema,
  async run({ tx, actor, input }) {
    const updated = await applyWithdrawal({ tx, actor }, input);
    return { id: updated.id, status: updated.status };
  },
});

/** The request as the API and the page read it, after a change in the same transaction. */
export async function requestAfterChange(tx: DbOrTx, actor: Actor, requestId: number) {
  const view = await selectRequestView(tx, { id: requestId, now: new Date(), timeZone: actor.timeZone });
  if (!view) throw new DomainError("not_found", `Request #${requestId} does not exist.`);
  return view;
}
