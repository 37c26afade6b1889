import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { summariseKeptRecords } from "@/lib/obligations/keep";
import { selectRetentionObligations } from "@/lib/obligations/obligations";
import { type KeepableRecordType, RECORD_TYPE_NAMES } from "@/lib/obligations/record-types";
import { getFormats } from "../../../_components/format-server";
import { RecordTable } from "../../../_components/record-table";
import { Empty, PageHeader, Section } from "../../../_components/ui";
import { ObligationForm } from "./obligation-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("obligations"))("title") };
}

export default async function ObligationsPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const db = getDb();
  const [obligations, kept, t, f] = await Promise.all([
    selectRetentionObligations(db), summariseKeptRecords(db), getTranslations("obligations"), getFormats(),
  ]);
  const type = (recordType: string) => t(`recordTypes.${recordType as KeepableRecordType}`);
  const rows = kept.map((k) => ({ ...k, id: `${k.recordType}:${k.law}` }));
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-4">
        {obligations.length ? (
          <ul className="list-disc pl-5 text-sm">
            {obligations.map((o) => (
              <li key={o.id}>
                <span className="font-medium">{type(o.recordType)}</span>: {t("period", {
                  years: o.periodYears, months: o.periodMonths, endOfYear: String(o.fromEndOfYear),
                  field: t(`dateFields.${o.countedFrom as "issued_on"}`),
                })} — {o.law}
              </li>
            ))}
          </ul>
        ) : <Empty>{t("none")}</Empty>}
        {obligations.map((o) => <ObligationForm key={`${o.id}-${o.updatedAt.toISOString()}`} obligation={o} />)}
        {obligations.length < RECORD_TYPE_NAMES.length ? <ObligationForm obligation={null} /> : null}
      </div>
      <Section title={t("kept.heading")} id="kept">
        <p className="mb-3 text-sm text-muted">{t("kept.description")}</p>
        <RecordTable
          label={t("kept.heading")} rows={rows} empty={t("kept.empty")}
          columns={[
            { header: t("kept.columns.recordType"), cell: (k) => <span className="font-medium">{type(k.recordType)}</span> },
            { header: t("kept.columns.law"), cell: (k) => k.law },
            { header: t("kept.columns.count"), cell: (k) => f.number(k.count), numeric: true },
            { header: t("kept.columns.subjects"), cell: (k) => f.number(k.subjects), numeric: true },
            { header: t("kept.columns.nextExpiry"), cell: (k) => f.day(k.nextExpiry), nowrap: true },
            { header: t("kept.columns.lastExpiry"), cell: (k) => t("kept.status", { until: f.day(k.lastExpiry), law: k.law }) },
          ]}
        />
      </Section>
    </>
  );
}
