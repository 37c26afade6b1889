import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { REGISTER_READERS, selectRegisterEntries } from "@/lib/register/register";
import { REGISTER_FIELDS } from "@/lib/register/schema";
import { getFormats } from "../../../_components/format-server";
import { RecordTable } from "../../../_components/record-table";
import { PageHeader, Section } from "../../../_components/ui";
import { RegisterForm } from "./register-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("register"))("title") };
}

export default async function RegisterPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  const actor = await requirePage(REGISTER_READERS);
  const entries = await selectRegisterEntries(getDb());
  const [t, f] = await Promise.all([getTranslations("register"), getFormats()]);
  const mayEdit = actor.permissions.includes("admin.settings");
  const rows = entries.map((e) => ({ ...e, id: e.recordType }));

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {mayEdit ? null : <p className="mb-4 text-sm text-muted">{t("readOnly")}</p>}
      <RecordTable
        label={t("tableLabel")} rows={rows} empty={t("tableLabel")}
        columns={[
          { header: t("columns.recordType"), cell: (e) => <span className="font-medium">{t(`recordTypes.${e.recordType}`)}</span> },
          ...REGISTER_FIELDS.map((field) => ({ header: t(`fields.${field}`), cell: (e: (typeof rows)[number]) => <span className="text-sm">{e[field]}</span> })),
          { header: t("columns.updated"), cell: (e) => (e.updatedByAccountId == null ? <span className="text-muted">{t("neverChanged")}</span> : f.day(e.updatedAt)), nowrap: true },
        ]}
      />
      {mayEdit ? (
        <div className="mt-6">
          <Section title={t("editTitle")} id="edit">
            <p className="mb-3 text-sm text-muted">{t("hint")}</p>
            <div className="space-y-2">
              {entries.map((e) => (
                <RegisterForm
                  // One form per record type for the page's life: a save re-renders the page,
                  // and the form stays open with its "Saved." in place.
                  key={e.recordType}
                  entry={{ recordType: e.recordType, purposes: e.purposes, categories: e.categories, legalBasis: e.legalBasis, recipients: e.recipients, source: e.source, retention: e.retention }}
                />
              ))}
            </div>
          </Section>
        </div>
      ) : null}
    </>
  );
}
