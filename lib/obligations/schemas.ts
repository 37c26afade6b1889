import { z } from "zod";
import { idSchema, wholeNumberSchema } from "@/lib/validation";
import { dateFieldsOf, RECORD_TYPE_NAMES } from "./record-types";

// A retention obligation as an administrator enters it. The period is years and months
// (at least one month in all); the date it counts from must be one of the record type's
// own dates; the law is what the receipt and the preview cite ("§147 AO").

const recordTypeSchema = z.enum(RECORD_TYPE_NAMES as [string, ...string[]], {
  error: `must be one of the record types that can be kept: ${RECORD_TYPE_NAMES.join(", ")}`,
});

const fieldsSchema = z.object({
  recordType: recordTypeSchema,
  periodYears: wholeNumberSchema(0, 100),
  periodMonths: wholeNumberSchema(0, 1200),
  countedFrom: z.string({ error: "is required" }).trim().min(1, "is required").max(60, "must be at most 60 characters"),
  fromEndOfYear: z.boolean({ error: "must be true or false" }).default(false),
  law: z.string({ error: "is required" }).trim().min(1, "is required").max(200, "must be at most 200 characters"),
});

function checkObligation(value: z.infer<typeof fieldsSchema>, ctx: z.RefinementCtx) {
  if (value.periodYears * 12 + value.periodMonths <= 0) {
    ctx.addIssue({ code: "custom", path: ["periodYears"], message: "the period must be longer than 0" });
  }
  const fields = dateFieldsOf(value.recordType);
  if (value.countedFrom && fields.length && !fields.includes(value.countedFrom)) {
    ctx.addIssue({ code: "custom", path: ["countedFrom"], message: `must be a date of the record type: ${fields.join(", ")}` });
  }
}

export const retentionObligationSchema = fieldsSchema.superRefine(checkObligation);
export type RetentionObligationInput = z.infer<typeof retentionObligationSchema>;

export const updateRetentionObligationSchema = fieldsSchema.extend({ obligationId: idSchema }).superRefine(checkObligation);
export const deleteRetentionObligationSchema = z.object({ obligationId: idSchema });
