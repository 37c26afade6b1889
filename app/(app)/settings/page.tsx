import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { PERSON_FIELD_LABELS } from "@/lib/people/fields";
import { ALWAYS_REMOVED_FIELDS, POLICY_FIELDS } from "@/lib/privacy/settings/schema";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { PageHeader } from "../../_components/ui";
import { PreventedProfiles } from "./prevented-profiles";
import { SettingsForm } from "./settings-form";

export const metadata: Metadata = { title: "Privacy settings" };

export default async function PrivacySettingsPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const db = getDb();
  const settings = await getPrivacySettings(db);
  const policyFields = [
    ...POLICY_FIELDS.map((f) => ({ key: f, label: PERSON_FIELD_LABELS[f], dateOnly: f === "dateOfBirth" })),
    ...settings.customFieldDefinitions.map((d) => ({ key: `custom.${d.key}`, label: `${d.label} (custom field)`, dateOnly: false })),
  ];
  return (
    <>
      <PageHeader title="Privacy settings" description="When people become eligible for anonymisation, what anonymisation keeps, and how long logs are kept." />
      <SettingsForm
        settings={{ ...settings, updatedAt: settings.updatedAt.toISOString() }}
        policyFields={policyFields}
        alwaysRemoved={ALWAYS_REMOVED_FIELDS.map((f) => PERSON_FIELD_LABELS[f])}
      />
      <PreventedProfiles />
    </>
  );
}
