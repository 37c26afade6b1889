import { getTranslations } from "next-intl/server";
import type { PreventionHistoryEntry } from "@/lib/privacy/prevention/history";
import { getFormats } from "../../../../_components/format-server";
import { RecordTable } from "../../../../_components/record-table";
import { Section } from "../../../../_components/ui";

/**
 * Every hold set or lifted on the profile, with who, when and why (SPEC §13). Shown once
 * there is one; it goes with the person when they are anonymised or deleted.
 */
export async function HoldHistory({ entries }: { entries: (PreventionHistoryEntry & { expiresOn: string | null })[] }) {
  if (!entries.length) return null;
  const t = await getTranslations("profile.holdHistory");
  const f = await getFormats();
  return (
    <Section title={t("title")} id="hold-history">
      <RecordTable
        label={t("label")} rows={entries} empty={null}
        columns={[
          { header: t("columns.when"), cell: (e) => f.dateTime(e.at), nowrap: true },
          { header: t("columns.what"), cell: (e) => [t("kind", { kind: e.kind }), e.expiresOn ? t("until", { day: f.day(e.expiresOn) }) : null].filter(Boolean).join(" ") },
          { header: t("columns.reason"), cell: (e) => e.reason },
          { header: t("columns.by"), cell: (e) => e.by ?? t("formerAccount") },
        ]}
      />
    </Section>
  );
}
