import { z } from "zod";
import { type PrivacyTask, taskAction, taskOrigin, taskStatus } from "@/db/schema";
import { countSchema, daySchema, instantSchema, rowIdSchema } from "@/lib/openapi/wire";

/** The public shape of a privacy task: no personal data, only the masked label. */
export const taskSchema = z.strictObject({
  id: rowIdSchema,
  action: z.enum(taskAction.enumValues),
  status: z.enum(taskStatus.enumValues).describe("awaiting_approval: a four-eyes deletion waiting for a second admin.data_privacy holder."),
  origin: z.enum(taskOrigin.enumValues),
  subject: z.strictObject({
    personId: rowIdSchema.nullable().describe("Null once the person is deleted."),
    label: z.string().describe("A masked label taken before the work, never the person's data."),
  }),
  reason: z.string().nullable(),
  reference: z.string().nullable().describe("A request or ticket number the erasure is filed under."),
  options: z.strictObject({
    deleteOrganisation: z.boolean().optional(),
    overrideReason: z.string().optional().describe("Why blocking obligations (loans, debts) were overridden."),
    holdOverrideReason: z.string().optional().describe("Why the deletion goes ahead although the person is on hold."),
  }),
  requestedBy: z.string().nullable().describe("The requesting account's e-mail address while the account exists."),
  cancelledBy: z.strictObject({ accountId: rowIdSchema.nullable(), email: z.string().nullable() }).nullable()
    .describe("Who cancelled it, while the account exists; when is finishedAt."),
  approvedByAccountId: rowIdSchema.nullable().describe("Four-eyes deletions: the second admin.data_privacy holder who approved it."),
  approvedAt: instantSchema.nullable(),
  createdAt: instantSchema,
  startedAt: instantSchema.nullable(),
  finishedAt: instantSchema.nullable(),
  progress: z.strictObject({ done: countSchema, total: countSchema }),
  counts: z.record(z.string(), countSchema).describe("Rows changed or deleted, by kind."),
  deletedTicketNumbers: z.array(z.number().int().min(1)),
  verification: z.strictObject({
    checkedAt: z.iso.datetime(),
    found: countSchema.nullable().describe("Traces of the former identifiers found after the work; null when the check could not run (note says why)."),
    note: z.string().optional(),
    locations: z.array(z.strictObject({ table: z.string(), column: z.string(), count: countSchema })),
    kept: countSchema.optional().describe("Records kept under a legal retention obligation, apart from found."),
    nameMentions: countSchema.optional().describe("Name mentions in other people's records put under review, apart from found."),
    excused: countSchema.optional().describe("Cells of the answered request holding its reply address, taken off found."),
  }).nullable(),
  kept: z.array(z.strictObject({ recordType: z.string(), count: countSchema, law: z.string(), keptUntil: daySchema, firstUntil: daySchema }))
    .describe("Records kept under a legal retention obligation: what, how many, why and until when."),
  keptRef: z.string().nullable().describe("The pseudonym on the kept records."),
  error: z.string().nullable(),
}).meta({ id: "PrivacyTask" });

export function taskJson(t: PrivacyTask & { requesterEmail?: string | null; cancelledByEmail?: string | null }): z.input<typeof taskSchema> {
  return {
    id: t.id,
    action: t.action,
    status: t.status,
    origin: t.origin,
    subject: { personId: t.subjectPersonId, label: t.subjectLabel },
    reason: t.reason,
    reference: t.reference,
    options: t.options,
    requestedBy: t.requesterEmail ?? null,
    cancelledBy: t.status === "cancelled" ? { accountId: t.cancelledByAccountId, email: t.cancelledByEmail ?? null } : null,
    approvedByAccountId: t.approvedByAccountId,
    approvedAt: t.approvedAt,
    createdAt: t.createdAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    progress: { done: t.progressDone, total: t.progressTotal },
    counts: t.counts,
    deletedTicketNumbers: t.deletedTicketNumbers,
    verification: t.verification,
    kept: t.kept,
    keptRef: t.keptRef,
    error: t.error,
  };
}
