import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { RULE_IDS } from "@/lib/privacy/eligibility/rules";
import { daySchema } from "./wire";

// The one error shape of the API (SPEC §8): { error: { code, message, issues? } }, with
// the status of the code (lib/errors.ts). A few refusals add what a caller can act on:
// lib/errors.ts types a DomainError's details as this schema's input, so a new detail
// is added here first.

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

const ruleId = z.enum(RULE_IDS);
const ticketNumbers = z.array(z.number().int().min(1));

export const errorDetailsSchema = z.strictObject({
  taskId: z.number().int().min(1).optional().describe("The open task that a second one would conflict with (409)."),
  status: z.string().optional().describe("The task's status where it does not allow the change (409)."),
  failing: z.array(ruleId).optional().describe("The eligibility rules that forbid an anonymisation (409, 422)."),
  rules: z.array(z.strictObject({ id: ruleId, label: z.string(), passed: z.boolean(), reason: z.string() })).optional()
    .describe("The failing rules in words (409 not_eligible)."),
  refusals: z.array(z.strictObject({ code: z.enum(["own_account", "last_admin", "system"]), message: z.string() })).optional()
    .describe("Why a deletion is refused (422): one's own account, the last administrator, a system record."),
  obligations: z.array(z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("loan"), id: z.number().int(), item: z.string(), loanKind: z.string(), since: daySchema }),
    z.strictObject({ kind: z.literal("debt"), id: z.number().int(), invoiceNumber: z.string(), outstanding: z.string(), dueOn: daySchema }),
  ])).optional().describe("Open loans and debts that block a deletion without a reason to override them (422)."),
  hold: z.strictObject({ personId: z.number().int(), sinceOn: daySchema, expiresOn: daySchema.nullable(), reason: z.string(), by: z.string().nullable() })
    .optional().describe("The hold that blocks a deletion without a reason to override it (422)."),
  onHold: ticketNumbers.optional().describe("Tickets whose customer is on hold, by number (422)."),
  missing: z.array(z.number().int()).optional().describe("Ticket ids that do not exist (404)."),
  inOpenTask: z.array(z.strictObject({ number: z.number().int(), taskId: z.number().int().nullable() })).optional()
    .describe("Tickets whose customer has an open deletion task (409)."),
  stale: z.boolean().optional().describe("The record changed since it was shown (409)."),
});
export type ErrorDetails = z.input<typeof errorDetailsSchema>;

export const errorBodySchema = z.strictObject({
  error: errorDetailsSchema.extend({
    code: z.enum(ERROR_CODES).describe("Stable; the status follows from it."),
    message: z.string().describe("For people; in the language of Accept-Language where Lethe speaks it, else English."),
    issues: z.record(z.string(), z.array(z.string())).optional()
      .describe("Invalid input (400): each field's problems, by the field's name (a nested one dotted, as withhold.0.id)."),
  }),
}).meta({ id: "Error", description: "Every refusal of the API has this shape." });
export type ErrorBody = z.input<typeof errorBodySchema>;

/** The error codes answered with each status: 409 is both `conflict` and `not_eligible`. */
export function errorStatuses(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}
