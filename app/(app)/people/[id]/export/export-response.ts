import { getDb } from "@/db/client";
import { exportReader, type PersonExport } from "@/lib/people/export";
import { familyExportZip, personExportXlsx, personExportZip } from "@/lib/people/export-files";

const TYPES = { zip: "application/zip", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } as const;

/**
 * The file of an access export, as the person will read it: in the organisation's language
 * and time zone, whoever downloads it. A family export is a zip with a folder per person.
 */
export async function exportFileResponse({ id, format, data, family }: { id: number; format: "zip" | "xlsx" | "json"; data: PersonExport; family: PersonExport[] | null }) {
  const reader = await exportReader(getDb());
  const kind = format === "xlsx" ? "xlsx" : "zip";
  const body = family ? familyExportZip(data, family, reader) : kind === "xlsx" ? await personExportXlsx(data, reader) : personExportZip(data, reader);
  return new Response(Buffer.from(body), {
    headers: {
      "Content-Type": TYPES[kind],
      "Content-Disposition": `attachment; filename="${family ? "family" : "person"}-${id}.${kind}"`,
      "Cache-Control": "no-store",
    },
  });
}
