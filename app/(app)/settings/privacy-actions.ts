"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runFormAction } from "@/lib/action";
import { loadActor } from "@/lib/auth/actor";
import { currentAccountId } from "@/lib/auth/session";
import { DEFAULT_LOCALE } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translate";
import { updatePrivacySettings } from "@/lib/privacy/settings/settings";
import { privacySettingsSchema } from "@/lib/privacy/settings/schema";

export type SettingsFormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };

export async function savePrivacySettingsAction(_prev: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  // What was typed goes back with a refusal, so a form posted without script keeps it.
  const values = Object.fromEntries([...formData.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$"))) as Record<string, string>;
  // Decoded as the whole form: the operation takes a partial update, where an unticked
  // (absent) checkbox would mean "leave as is".
  const result = await runFormAction(updatePrivacySettings, formData, { schema: privacySettingsSchema, revalidate: ["/settings", "/privacy/review", "/"] });
  if (!result.ok) return { ok: false, message: result.message, fieldErrors: result.fieldErrors, values };
  // The organisation's language and time zone are read by every page, not only these.
  revalidatePath("/", "layout");
  // Worded in the language in force after the save: this request's language was read
  // before it, and the organisation's may just have changed (the account's own choice stays).
  const accountId = await currentAccountId();
  const actor = accountId === null ? null : await loadActor(getDb(), accountId);
  return { ok: true, message: translatorFor(actor?.locale ?? DEFAULT_LOCALE)("settings.saved") };
}
