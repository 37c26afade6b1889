import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { currentLanguage } from "@/lib/i18n/current";
import { buildPersonExport, exportReader, type PersonExport } from "@/lib/people/export";
import { listMinorsInCare } from "@/lib/people/export-family";
import { readableSections } from "@/lib/people/export-readable";
import { localDate } from "@/lib/schedule/clock";
import { parseId } from "../../../../../_components/params";
import { ButtonLink, PageHeader } from "../../../../../_components/ui";
import { ExportPreviewForm, type PreviewPerson } from "./export-preview-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("people"))("exportPreview.title") };
}

/** Enough of a long text (a message's body) to recognise the item; the export holds it whole. */
const GLIMPSE = 160;
const glimpse = (cell: string) => { const flat = cell.replace(/\s+/g, " ").trim(); return flat.length > GLIMPSE ? `${flat.slice(0, GLIMPSE - 1)}…` : flat; };

const nameOf = (d: PersonExport) => `${d.person.firstName} ${d.person.lastName}`.trim() || `#${d.person.id}`;

/**
 * Art. 15(4): before an access export leaves, the DPO sees every item it holds, as the
 * person will (the same tables as the index), and may withhold those that would reveal
 * others. The minors in the person's care are listed too, for a family export.
 */
export default async function ExportPreviewPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePage("people.export");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const db = getDb();
  const data = await buildPersonExport(db, { id });
  if (!data) notFound();
  const [reader, language, t] = await Promise.all([exportReader(db), currentLanguage(), getTranslations("people.exportPreview")]);
  const minorIds = await listMinorsInCare(db, { guardianId: id, today: localDate(new Date(), reader.timeZone) });
  const minors: PersonExport[] = [];
  for (const minorId of minorIds) { const m = await buildPersonExport(db, { id: minorId }); if (m) minors.push(m); }

  // The items in the reader's language (staff check them), the labels of the organisation's own fields.
  const shown = { ...language, customFieldLabels: reader.customFieldLabels };
  const people: PreviewPerson[] = [data, ...minors].map((d) => ({
    id: d.person.id,
    name: nameOf(d),
    sections: readableSections(d, shown, shown.customFieldLabels).map((s) => ({
      key: s.key, title: s.title, columns: s.columns,
      rows: s.rows.map((r) => ({ cells: r.cells.map(glimpse), item: r.item ? `${r.item.section}-${r.item.id}` : null })),
    })),
  }));

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { name: nameOf(data) })}
        actions={<ButtonLink href={`/people/${id}`}>{t("back")}</ButtonLink>}
      />
      <ExportPreviewForm personId={id} people={people} />
    </>
  );
}
