import { z } from "zod";
import { defineQuery } from "../operation";
import { retentionRuleIdSchema, retentionRuleSchema } from "./rule-schemas";
import { dryRunRule } from "./rules";

// The rule editor's dry runs: what a rule would select now, saved or as typed.

export const dryRunSavedRule = defineQuery({
  name: "dryRunSavedRule",
  permission: "admin.data_privacy",
  input: retentionRuleIdSchema,
  run: ({ db, input }) => dryRunRule(db, input.id, { now: new Date() }),
});

/** Only the object, the action and the conditions matter to the selection. */
export const dryRunDefinition = defineQuery({
  name: "dryRunDefinition",
  permission: "admin.data_privacy",
  input: z.preprocess(
    (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? { ...v, name: "Dry run", schedule: { kind: "daily", hour: 0 }, enabled: false } : v),
    retentionRuleSchema,
  ),
  run: ({ db, input }) => dryRunRule(db, input, { now: new Date() }),
});
