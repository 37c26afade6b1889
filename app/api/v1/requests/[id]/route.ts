import { z } from "zod";
import { apiRoute, otherMethods } from "@/lib/api";
import type { Actor } from "@/lib/auth/actor";
import type { DbOrTx } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { dataOf, jsonOf } from "@/lib/openapi/wire";
import { getRequest, getRequestById } from "@/lib/requests/queries";
import {
  applyExtension, applyIdentityConfirmation, applyRequestUpdate, applyWithdrawal, lockOpenRequest,
} from "@/lib/requests/requests";
import { extensionSchema, updateRequestSchema } from "@/lib/requests/schemas";
import { applyFulfilment, applyRefusal } from "@/lib/requests/fulfil/fulfil";
import { fulfilRequestSchema, refuseRequestSchema } from "@/lib/requests/fulfil/schemas";
import { idSchema } from "@/lib/validation";
import { requestBodyObject, requestDetailJson, requestDetailSchema } from "../request-json";

export const dynamic = "force-dynamic";

// GET /api/v1/requests/{id} — the request with its timeline.
const oneRequest = dataOf(requestDetailSchema);

export const GET = apiRoute(getRequest, {
  input: ({ params }) => ({ id: params.id }),
  respond: (request) => jsonOf(oneRequest, { data: requestDetailJson(request) }),
  doc: {
    operationId: "getRequest",
    tag: "Requests",
    summary: "Read a data-subject request",
    description: "The request with its timeline. Needs privacy.requests.",
    responses: { 200: { description: "The request.", schema: oneRequest } },
  },
});

// PATCH /api/v1/requests/{id} — any of: assigneeAccountId, notes; personId with
// identityConfirmed: true; extend: { months, reason }; status (a closing change, with an
// optional reason). All that is given is applied in one transaction, in this order:
// identity, assignee and notes, extension, status. A closed request answers 409.

type PatchContext = { tx: DbOrTx; actor: Actor };

/** The closing changes a PATCH can make (`status`); each has its handler in STATUS_CHANGES below. */
const PATCH_STATUSES = ["withdrawn", "fulfilled", "refused"] as const;

const patchRequestSchema = z.strictObject({
  id: idSchema,
  assigneeAccountId: updateRequestSchema.shape.assigneeAccountId,
  notes: updateRequestSchema.shape.notes,
  personId: idSchema.optional(),
  identityConfirmed: z.literal(true, { error: "must be true: it confirms the identity with personId" }).optional(),
  extend: extensionSchema.optional(),
  status: z.enum(PATCH_STATUSES, { error: `must be one of: ${PATCH_STATUSES.join(", ")}` }).optional(),
  /** Why, for a status change (kept on the timeline). */
  reason: z.string({ error: "must be text" }).trim().max(2000, "must be at most 2,000 characters").optional(),
  /** status "fulfilled" or "refused": the reply e-mailed to the requester (required for a refusal); lib/requests/fulfil. */
  reply: fulfilRequestSchema.shape.reply,
  /** status "refused": the legal basis, one of REFUSAL_BASES. */
  refusalBasis: refuseRequestSchema.shape.refusalBasis.optional(),
  /** status "fulfilled" of a restriction or objection: the prevention's last day. */
  preventionUntil: fulfilRequestSchema.shape.preventionUntil,
}, { error: "must be a JSON object" }).superRefine((v, ctx) => {
  if (v.status === "refused" && !v.refusalBasis) ctx.addIssue({ code: "custom", path: ["refusalBasis"], message: "is required to refuse a request" });
  if (v.status === "refused" && !v.reply) ctx.addIssue({ code: "custom", path: ["reply"], message: "is required to refuse a request" });
  if (v.personId !== undefined && v.identityConfirmed === undefined) {
    ctx.addIssue({ code: "custom", path: ["identityConfirmed"], message: "must be true: it confirms the identity with personId" });
  }
  if (v.identityConfirmed !== undefined && v.personId === undefined) {
    ctx.addIssue({ code: "custom", path: ["personId"], message: "is required to confirm the identity" });
  }
  const given = ["assigneeAccountId", "notes", "personId", "extend", "status"].filter((k) => v[k as keyof typeof v] !== undefined);
  if (!given.length) ctx.addIssue({ code: "custom", path: [], message: "Give at least one of: assigneeAccountId, notes, personId with identityConfirmed, extend, status." });
});
type PatchInput = z.output<typeof patchRequestSchema>;

const STATUS_CHANGES: Record<(typeof PATCH_STATUSES)[number], (ctx: PatchContext, input: PatchInput) => Promise<unknown>> = {
  withdrawn: (ctx, input) => applyWithdrawal(ctx, { requestId: input.id, reason: input.reason }),
  // Access and portability build the export and send its link; rectification, restriction and
  // objection close with the reply; an erasure request is fulfilled by its task (409).
  fulfilled: (ctx, input) => applyFulfilment(ctx, { requestId: input.id, reply: input.reply, preventionUntil: input.preventionUntil }),
  refused: (ctx, input) => applyRefusal(ctx, { requestId: input.id, refusalBasis: input.refusalBasis!, reply: input.reply! }),
};

const patchRequestFromApi = defineOperation({
  name: "patchRequestFromApi",
  permission: "privacy.requests",
  input: patchRequestSchema,
  async run({ tx, actor, input }) {
    const ctx = { tx, actor };
    // A closed or unknown request is refused before anything is checked against it.
    await lockOpenRequest(tx, input.id);
    if (input.personId !== undefined) await applyIdentityConfirmation(ctx, { requestId: input.id, personId: input.personId });
    if (input.assigneeAccountId !== undefined || input.notes !== undefined) {
      await applyRequestUpdate(ctx, { requestId: input.id, assigneeAccountId: input.assigneeAccountId, notes: input.notes });
    }
    if (input.extend) await applyExtension(ctx, { requestId: input.id, ...input.extend });
    if (input.status) await STATUS_CHANGES[input.status](ctx, input);
    const request = await getRequestById(tx, { id: input.id, timeZone: actor.timeZone });
    if (!request) throw new DomainError("not_found", `Request #${input.id} does not exist.`);
    return request;
  },
});

export const PATCH = apiRoute(patchRequestFromApi, {
  input: async ({ params, body }) => ({ ...(await requestBodyObject(body)), id: params.id }),
  respond: (request) => jsonOf(oneRequest, { data: requestDetailJson(request) }),
  doc: {
    operationId: "patchRequest",
    tag: "Requests",
    summary: "Change, extend or close a data-subject request",
    description: "Any of: assigneeAccountId, notes; personId with identityConfirmed: true; extend: { months, reason }; status "
      + "(withdrawn, fulfilled or refused, with reason, reply, refusalBasis and preventionUntil as the closing needs). All that is "
      + "given is applied in one transaction, in that order. Fulfilling an access or portability request builds the export and "
      + "e-mails its link. A closed request answers 409. Needs privacy.requests.",
    request: { body: "rest" },
    responses: { 200: { description: "Changed; the request with its timeline.", schema: oneRequest } },
    errors: ["conflict", "rule_violation"],
  },
});

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
