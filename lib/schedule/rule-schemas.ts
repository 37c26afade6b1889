import { z } from "zod";
import { checkboxSchema } from "../form";
import { idSchema, optionalIdSchema } from "../validation";

// Retention rules (SPEC §6): what the editor may submit. Shared by the server actions
// (FormData: numbers and checkboxes coerced, empty fields mean "not set") and by the
// run, which re-parses stored conditions so that a rule never runs on malformed data.

const MAX_DAYS = 36_500;

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const days = z.preprocess(
  emptyToUndefined,
  z.coerce.number({ error: "Must be a number of days" }).int("Must be a whole number of days")
    .min(1, "At least 1 day").max(MAX_DAYS, `At most ${MAX_DAYS} days`).optional(),
);
const positiveId = optionalIdSchema;
const optionalBoolean = z.preprocess(
  (v) => (v === "" || v == null ? undefined : v === "true" || v === "on" ? true : v === "false" ? false : v),
  z.boolean({ error: "Must be yes or no" }).optional(),
);
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess(emptyToUndefined, z.enum(values, { error: message }).optional());

export const PERSON_KINDS = ["student", "customer", "member", "staff"] as const;
export const TICKET_STATES = ["new", "open", "pending", "closed"] as const;

export const personConditionsSchema = z.object({
  kind: optionalEnum(PERSON_KINDS, "Choose student, customer, member or staff"),
  status: optionalEnum(["active", "inactive"] as const, "Choose active or inactive"),
  organisationId: positiveId,
  imported: optionalBoolean,
  lastActivityOlderThanDays: days,
  leavingDateOlderThanDays: days,
  markedForDeletionOlderThanDays: days,
});
export type PersonConditions = z.infer<typeof personConditionsSchema>;

export const ticketConditionsSchema = z.object({
  state: optionalEnum(TICKET_STATES, "Choose new, open, pending or closed"),
  closedOlderThanDays: days,
  createdOlderThanDays: days,
  organisationId: positiveId,
});
export type TicketConditions = z.infer<typeof ticketConditionsSchema>;

const PERSON_KEYS = Object.keys(personConditionsSchema.shape);
const TICKET_KEYS = Object.keys(ticketConditionsSchema.shape);

const hourSchema = z.coerce.number({ error: "Choose an hour" }).int("Choose a whole hour").min(0, "Between 0 and 23").max(23, "Between 0 and 23");

export const ruleScheduleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("daily"), hour: hourSchema }),
  z.object({
    kind: z.literal("weekly"),
    days: z.preprocess(
      (v) => (v == null || v === "" ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.coerce.number().int().min(0, "Days are 0 (Sunday) to 6 (Saturday)").max(6, "Days are 0 (Sunday) to 6 (Saturday)"))
        .min(1, "Choose at least one day of the week"),
    ).transform((d) => [...new Set(d)].sort((a, b) => a - b)),
    hour: hourSchema,
  }),
], { error: "Choose daily or weekly" });
export type RuleScheduleInput = z.infer<typeof ruleScheduleSchema>;

const ruleBase = z.object({
  name: z.string({ error: "Give the rule a name" }).trim().min(1, "Give the rule a name").max(120, "At most 120 characters"),
  object: z.enum(["person", "ticket"], { error: "Choose person or ticket" }),
  // Checked against the object below; unknown keys are reported, not dropped.
  conditions: z.record(z.string(), z.unknown(), { error: "Choose at least one condition" }),
  action: z.enum(["anonymise", "delete"], { error: "Choose anonymise or delete" }),
  schedule: ruleScheduleSchema,
  enabled: checkboxSchema("Must be yes or no"),
});

function parseConditions(object: "person" | "ticket", conditions: Record<string, unknown>, ctx: z.RefinementCtx) {
  const allowed = object === "person" ? PERSON_KEYS : TICKET_KEYS;
  const unknown = Object.keys(conditions).filter((key) => !allowed.includes(key));
  for (const key of unknown) ctx.addIssue({ code: "custom", path: ["conditions", key], message: `Not a condition of ${object} rules` });
  const schema = object === "person" ? personConditionsSchema : ticketConditionsSchema;
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(conditions).filter(([k]) => allowed.includes(k))));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["conditions", ...issue.path.map(String)], message: issue.message });
    return null;
  }
  const set = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  if (unknown.length) return null;
  if (Object.keys(set).length === 0) {
    ctx.addIssue({ code: "custom", path: ["conditions"], message: "Choose at least one condition: a rule without conditions would match everything" });
    return null;
  }
  return set;
}

export type ParsedRule =
  | { name: string; object: "person"; conditions: PersonConditions; action: "anonymise" | "delete"; schedule: RuleScheduleInput; enabled: boolean }
  | { name: string; object: "ticket"; conditions: TicketConditions; action: "anonymise" | "delete"; schedule: RuleScheduleInput; enabled: boolean };

function refineRule<T extends z.infer<typeof ruleBase>>(rule: T, ctx: z.RefinementCtx): Omit<T, keyof ParsedRule> & ParsedRule {
  const conditions = parseConditions(rule.object, rule.conditions, ctx);
  if (!conditions) return z.NEVER;
  return { ...rule, conditions } as Omit<T, keyof ParsedRule> & ParsedRule;
}

export const retentionRuleSchema = ruleBase.transform(refineRule);
export type RetentionRuleInput = z.input<typeof retentionRuleSchema>;

export const updateRetentionRuleSchema = ruleBase
  .extend({ id: idSchema })
  .transform(refineRule);

export const retentionRuleIdSchema = z.object({ id: idSchema });
