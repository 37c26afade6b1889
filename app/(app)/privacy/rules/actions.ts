"use server";

import { redirect } from "next/navigation";
import { runAction } from "@/lib/action";
import type { FieldErrors } from "@/lib/errors";
import { dryRunDefinition, dryRunSavedRule } from "@/lib/schedule/rule-queries";
import { createRetentionRule, deleteRetentionRule, updateRetentionRule } from "@/lib/schedule/rules";
import { idSchema } from "@/lib/validation";

export type RuleFormState = { ok?: boolean; message?: string; fieldErrors?: FieldErrors };

/**
 * The editor's fields as the rule schemas expect them: `conditions.<key>` and
 * `schedule.<key>` become nested objects (empty fields stay "" and mean "not set"),
 * the day checkboxes a list, the enabled checkbox a boolean.
 */
function formToRule(formData: FormData) {
  const conditions: Record<string, unknown> = {};
  const schedule: Record<string, unknown> = {};
  const rule: Record<string, unknown> = { conditions, schedule };
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || key.startsWith("$") || key === "id") continue;
    if (key.startsWith("conditions.")) conditions[key.slice("conditions.".length)] = value;
    else if (key === "schedule.days") continue;
    else if (key.startsWith("schedule.")) schedule[key.slice("schedule.".length)] = value;
    else rule[key] = value;
  }
  if (schedule.kind === "weekly") schedule.days = formData.getAll("schedule.days").filter((d) => typeof d === "string");
  rule.enabled = formData.get("enabled") === "on";
  return rule;
}

function toState(result: { ok: false; code: string; message: string; fieldErrors?: FieldErrors }): RuleFormState {
  if (result.code === "invalid_input" && result.fieldErrors) {
    return { ok: false, message: "The rule was not saved. Correct the fields below.", fieldErrors: result.fieldErrors };
  }
  return { ok: false, message: result.message };
}

/** Creates the rule (then opens its page) or saves the changes to an existing one. */
export async function saveRetentionRuleAction(formData: FormData): Promise<RuleFormState> {
  const id = formData.get("id");
  const input = formToRule(formData);
  if (typeof id === "string" && id) {
    const ruleId = idSchema.safeParse(id);
    const result = await runAction(updateRetentionRule, { ...input, id }, ["/privacy/rules", ...(ruleId.success ? [`/privacy/rules/${ruleId.data}`] : [])]);
    return result.ok ? { ok: true, message: `Rule “${result.data.name}” saved.` } : toState(result);
  }
  const result = await runAction(createRetentionRule, input, ["/privacy/rules"]);
  if (!result.ok) return toState(result);
  redirect(`/privacy/rules/${result.data.id}?created=1`);
}

export async function deleteRetentionRuleAction(id: number) {
  const result = await runAction(deleteRetentionRule, { id }, ["/privacy/rules"]);
  if (!result.ok) return result;
  redirect("/privacy/rules?deleted=1");
}

/** Dry run of the stored rule: the selection its next run would make now. */
export async function dryRunSavedRuleAction(id: number) {
  return runAction(dryRunSavedRule, { id });
}

/** Dry run of the editor's current definition, saved or not. */
export async function dryRunDefinitionAction(formData: FormData) {
  return runAction(dryRunDefinition, formToRule(formData));
}
