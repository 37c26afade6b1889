import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { getPersonById } from "@/lib/people/profile";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { Alert, PageHeader } from "../../../../_components/ui";
import { parseId } from "../../../../_components/params";
import { RectifyForm } from "./rectify-form";
import { RequestBanner } from "../../../requests/[id]/_components/rectify-banner";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("profile.edit"))("title") };
}

export default async function EditPersonPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ request?: string | string[] }> }) {
  const actor = await requirePage("people.edit");
  const id = parseId((await params).id);
  // Opened from a rectification request (lib/requests/fulfil/rectification.ts): the save links its changes to it.
  const requested = (await searchParams).request;
  const requestId = actor.permissions.includes("privacy.requests") && typeof requested === "string" ? parseId(requested) ?? undefined : undefined;
  if (id === null) notFound();
  const db = getDb();
  const found = await getPersonById(db, { id });
  if (!found) notFound();
  const { person } = found;
  const settings = await getPrivacySettings(db);
  const name = `${person.firstName} ${person.lastName}`.trim();
  const t = await getTranslations("profile.edit");
  if (person.anonymisedAt || person.system) {
    return (
      <>
        <PageHeader title={t("heading", { name })} />
        <Alert tone="warn">{person.anonymisedAt ? t("anonymised") : t("system")}</Alert>
      </>
    );
  }
  const customKeys = Array.from(new Set([...settings.customFieldDefinitions.map((d) => d.key), ...Object.keys(person.customFields)]));
  const labels = Object.fromEntries(settings.customFieldDefinitions.map((d) => [d.key, d.label]));
  return (
    <>
      <PageHeader title={t("heading", { name })} description={t("description")} />
      {requestId ? <RequestBanner requestId={requestId} /> : null}
      <RectifyForm
        requestId={requestId}
        personId={person.id}
        customFields={customKeys.map((key) => ({ key, label: labels[key] ?? key }))}
        defaults={{
          firstName: person.firstName,
          lastName: person.lastName,
          email: person.email ?? "",
          phone: person.phone ?? "",
          address: person.address ?? "",
          dateOfBirth: person.dateOfBirth ?? "",
          externalId: person.externalId ?? "",
          leavingDate: person.leavingDate ?? "",
          customFields: Object.fromEntries(customKeys.map((k) => [k, person.customFields[k] ?? ""])),
        }}
      />
    </>
  );
}
