import { z } from "zod";
import { checkboxSchema } from "@/lib/form";
import { idSchema, optionalIdSchema, wholeNumberSchema } from "@/lib/validation";

// Inputs of the privacy-task operations, shared by server actions (FormData, so
// numbers and checkboxes are coerced) and the REST API (JSON).

const id = idSchema;
const checkbox = checkboxSchema("Must be true or false");
// Free text typed by a requester. It is stored on the task, which otherwise holds no
// personal data: the forms say not to write personal details into it.
const note = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().max(max, `At most ${max} characters`).optional(),
  );

/**
 * The reference an erasure is filed under (SPEC §13): a request or ticket number, or
 * free text without personal data. Optional; the forms ask for it and say so.
 */
export const referenceSchema = note(200);

export const createAnonymisationTaskSchema = z.object({
  personId: id,
  reason: note(500),
  reference: referenceSchema,
  origin: z.enum(["manual", "api"]).default("manual"),
  /** The erasure request the task answers (lib/requests/fulfil/erasure.ts). */
  requestId: optionalIdSchema,
});
export type CreateAnonymisationTaskInput = z.infer<typeof createAnonymisationTaskSchema>;

export const bulkFiltersSchema = z
  .object({
    kind: z.enum(["student", "customer", "member", "staff"]).optional(),
    organisationId: id.optional(),
    imported: z.boolean().optional(),
  })
  .strict();
export type BulkFilters = z.infer<typeof bulkFiltersSchema>;

export const bulkSelectionSchema = z.union([
  z.object({
    personIds: z.array(id).min(1, "Select at least one person").max(100_000, "At most 100,000 people at once"),
    reference: referenceSchema,
  }).strict(),
  z.object({ allEligible: z.literal(true), filters: bulkFiltersSchema.optional(), reference: referenceSchema }).strict(),
]);
export type BulkSelection = z.infer<typeof bulkSelectionSchema>;

export const createBulkAnonymisationSchema = bulkSelectionSchema;

// Where the request came from is recorded on the task (`origin`), as for an anonymisation.
// The word the dialog asks to be typed is the dialog's own check (app/(app)/privacy),
// not a rule of deletion: the API queues the same task without it (SPEC §8).
export const createDeletionTaskSchema = z.object({
  personId: id,
  deleteOrganisation: checkbox.optional().default(false),
  overrideReason: note(500),
  /** Deleting a person on hold: why this one task goes ahead (holds.ts). */
  holdOverrideReason: note(500),
  reference: referenceSchema,
  origin: z.enum(["manual", "api"]).default("manual"),
  /** The erasure request the task answers (lib/requests/fulfil/erasure.ts). */
  requestId: optionalIdSchema,
});
export type CreateDeletionTaskInput = z.infer<typeof createDeletionTaskSchema>;

export const cancelPrivacyTaskSchema = z.object({ id });

export const retryPrivacyTaskSchema = z.object({ id });

export const cancelAnonymisationTasksSchema = z.union([
  z.object({ id }).strict(),
  z.object({ batchId: z.uuid("Not a batch id") }).strict(),
]);

export const listPrivacyTasksSchema = z.object({
  page: wholeNumberSchema(1, 100_000).default(1),
  pageSize: wholeNumberSchema(1, 200).default(50),
  status: z.enum(["queued", "running", "completed", "failed", "cancelled", "awaiting_approval"]).optional(),
  action: z.enum(["anonymise", "delete"]).optional(),
  subjectPersonId: id.optional(),
  batchId: z.uuid("must be a batch id").optional(),
});
export type ListPrivacyTasksInput = z.input<typeof listPrivacyTasksSchema>;
