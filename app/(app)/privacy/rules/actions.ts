"use server";

import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { runAction, runFormAction } from "@/lib/action";
import type { FieldErrors } from "@/lib/errors";
import { createRetentionRule, deleteRetentionRule, dryRunDefinition, dryRunSavedRule, updateRetentionRule } from "@/lib/schedule/rules";
import { idSchema } from "@/lib/validation";

export type RuleFormState = { ok?: boolean; message?: string; fieldErrors?: FieldErrors };

async function toState(result: { ok: false; code: string; message: string; fieldErrors?: FieldErrors }): Promise<RuleFormState> {
  if (result.code === "invalid_input" && result.fieldErrors) {
    return { ok: false, message: (await getTranslations("rules"))("notSaved"), fieldErrors: result.fieldErrors };
  }
  return { ok: false, message: result.message };
}

/** Creates the rule (then opens its page) or saves the changes to an existing one. */
export async function saveRetentionRuleAction(formData: FormData): Promise<RuleFormState> {
  // The editor posts `id` only for a saved rule; the same fields either way.
  const id = formData.get("id");
  if (typeof id === "string" && id) {
    const ruleId = idSchema.safeParse(id);
    const result = await runFormAction(updateRetentionRule, formData, { revalidate: ["/privacy/rules", ...(ruleId.success ? [`/privacy/rules/${ruleId.data}`] : [])] });
    return result.ok ? { ok: true, message: (await getTranslations("rules"))("saved", { name: result.data.name }) } : toState(result);
  }
  const result = await runFormAction(createRetentionRule, formData, { revalidate: ["/privacy/rules"] });
  if (!result.ok) return await toState(result);
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
  return runFormAction(dryRunDefinition, formData);
}
