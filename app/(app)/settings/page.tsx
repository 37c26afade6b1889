import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { personFieldLabel } from "@/lib/people/fields";
import { pseudonymKey } from "@/lib/privacy/pseudonym";
import { ALLOWED_POLICIES, ALWAYS_REMOVED_FIELDS, FIELD_POLICIES, POLICY_FIELDS } from "@/lib/privacy/settings/schema";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { PageHeader } from "../../_components/ui";
import { PreventedProfiles } from "./prevented-profiles";
import { SettingsForm } from "./settings-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings"))("title") };
}

export default async function PrivacySettingsPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const [settings, t, locale] = await Promise.all([getPrivacySettings(getDb()), getTranslations("settings"), getLocale()]);
  const policyFields = [
    ...POLICY_FIELDS.map((f) => ({ key: f, label: personFieldLabel(f, locale), dateOnly: f === "dateOfBirth", allowed: [...ALLOWED_POLICIES[f]] })),
    ...settings.customFieldDefinitions.map((d) => ({ key: `custom.${d.key}`, label: t("customField", { label: d.label }), dateOnly: false, allowed: [...FIELD_POLICIES] })),
  ];
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <SettingsForm
        settings={{ ...settings, updatedAt: settings.updatedAt.toISOString() }}
        policyFields={policyFields}
        pseudonymAvailable={pseudonymKey() !== null}
        alwaysRemoved={ALWAYS_REMOVED_FIELDS.map((f) => ({ key: f, label: personFieldLabel(f, locale) }))}
      />
      <PreventedProfiles />
    </>
  );
}
