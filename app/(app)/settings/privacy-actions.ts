"use server";

import { runAction } from "@/lib/action";
import { updatePrivacySettings } from "@/lib/privacy/settings/operations";

export type SettingsFormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };

const CHECKBOXES = ["anonymisationEnabled", "manualRespectsCriteria", "cycleEnabled"];

/** Turns the settings form into the settings object: `policy.<field>` entries become fieldPolicies. */
function formToInput(formData: FormData) {
  const input: Record<string, unknown> = {};
  const fieldPolicies: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || key.startsWith("$")) continue;
    if (key.startsWith("policy.")) fieldPolicies[key.slice("policy.".length)] = value;
    else input[key] = value;
  }
  for (const key of CHECKBOXES) input[key] = formData.get(key) === "on";
  input.fieldPolicies = fieldPolicies;
  return input;
}

export async function savePrivacySettingsAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  const values = Object.fromEntries([...formData.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$"))) as Record<string, string>;
  const result = await runAction(updatePrivacySettings, formToInput(formData), ["/settings", "/privacy/review", "/"]);
  if (result.ok) return { ok: true, message: "Settings saved." };
  const fieldErrors: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(result.fieldErrors ?? {})) fieldErrors[k.replace(/^fieldPolicies\./, "policy.")] = v;
  return { ok: false, message: result.message, fieldErrors, values };
}
