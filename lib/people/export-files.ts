import ExcelJS from "exceljs";
import { strToU8, zipSync } from "fflate";
import type { Language } from "@/lib/i18n/format";
import type { PersonExport } from "./export";
import { exportWords, readableSections, type ReadableSection } from "./export-readable";

// The files of an access export: person.json (the machine-readable contract), index.html
// and a spreadsheet for the person, drawn from the same readable tables. A family export
// is one zip with a folder per person.

/** Who reads the files: a language and time zone, and the labels of the organisation's own fields. */
export type ExportReader = Language & { customFieldLabels?: Record<string, string> };

const escapeHtml = (v: unknown) =>
  String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = "body{font:14px system-ui,sans-serif;margin:2em;color:#1f2430;max-width:80em}table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f5f6f8}td{white-space:pre-wrap}";

function htmlTable(section: ReadableSection, none: string) {
  const heading = `<h2>${escapeHtml(section.title)}</h2>`;
  if (!section.rows.length) return `${heading}<p>${escapeHtml(none)}</p>`;
  return `${heading}<table><thead><tr>${section.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${section.rows
    .map((row) => `<tr>${row.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const fullName = (data: PersonExport) => `${data.person.firstName} ${data.person.lastName}`.trim();

export function personExportHtml(data: PersonExport, reader: ExportReader) {
  const w = exportWords(reader);
  const sections = readableSections(data, reader, reader.customFieldLabels);
  const title = escapeHtml(w.t("people.export.title", { name: fullName(data) }));
  const exported = w.t.markup("people.export.exported", { when: escapeHtml(w.date(new Date(data.exportedAt))), code: (chunks) => `<code>${chunks}</code>` });
  const withheld = data.withheld.length
    ? `<p><strong>${escapeHtml(w.t("people.export.withheld", {
      count: data.withheld.reduce((n, s) => n + s.count, 0),
      sections: data.withheld.map((s) => sections.find((x) => x.key === s.section)?.title ?? s.section).join(", "),
    }))}</strong></p>`
    : "";
  const information = sections.find((s) => s.key === "information")!;
  const rights = (["rectification", "erasure", "restriction", "objection", "portability", "complaint"] as const)
    .map((r) => `<li>${escapeHtml(w.t(`people.export.rights.${r}`))}</li>`).join("");
  return `<!doctype html><html lang="${reader.locale}"><meta charset="utf-8"><title>${title}</title>
<style>${STYLE}</style>
<h1>${title}</h1>
<p>${exported}</p>
${withheld}
${sections.filter((s) => s.key !== "information").map((s) => htmlTable(s, w.t("people.export.none"))).join("\n")}
${htmlTable(information, w.t("people.export.none"))}
<p>${escapeHtml(w.t("people.export.information"))}</p>
<p>${escapeHtml(w.t("people.export.rights.intro"))}</p><ul>${rights}</ul>
</html>`;
}

export function personExportZip(data: PersonExport, reader: ExportReader): Uint8Array {
  return zipSync({
    "person.json": strToU8(JSON.stringify(data, null, 2)),
    "index.html": strToU8(personExportHtml(data, reader)),
  });
}

/** The folder of one person in a family export. */
export const familyFolder = (data: PersonExport) => `person-${data.person.id}`;

/** The person and the minors in their care: a folder each, and an index naming the folders. */
export function familyExportZip(data: PersonExport, minors: readonly PersonExport[], reader: ExportReader): Uint8Array {
  const w = exportWords(reader);
  const title = escapeHtml(w.t("people.export.family.title", { name: fullName(data) }));
  const folders = [data, ...minors]
    .map((d) => `<li><a href="${familyFolder(d)}/index.html">${escapeHtml(w.t("people.export.family.folder", { name: fullName(d), folder: familyFolder(d) }))}</a></li>`)
    .join("");
  const files: Record<string, Uint8Array> = {
    "index.html": strToU8(`<!doctype html><html lang="${reader.locale}"><meta charset="utf-8"><title>${title}</title>
<style>${STYLE}</style>
<h1>${title}</h1>
<p>${escapeHtml(w.t("people.export.family.intro"))}</p>
<ul>${folders}</ul>
</html>`),
  };
  for (const d of [data, ...minors]) {
    files[`${familyFolder(d)}/person.json`] = strToU8(JSON.stringify(d, null, 2));
    files[`${familyFolder(d)}/index.html`] = strToU8(personExportHtml(d, reader));
  }
  return zipSync(files);
}

/** Excel refuses sheet names over 31 characters and some punctuation. */
const sheetName = (title: string) => title.replace(/[\\/?*[\]:]/g, " ").slice(0, 31);

export async function personExportXlsx(data: PersonExport, reader: ExportReader): Promise<Uint8Array> {
  const w = exportWords(reader);
  const book = new ExcelJS.Workbook();
  book.creator = "Lethe";
  // Dates are written as the index writes them, one format throughout, in the organisation's
  // time zone (a spreadsheet's own dates would be shown in UTC or the reader's zone).
  for (const section of readableSections(data, reader, reader.customFieldLabels)) {
    const ws = book.addWorksheet(sheetName(section.title));
    if (!section.rows.length) { ws.addRow([w.t("people.export.noneCell")]); continue; }
    ws.addRow(section.columns).font = { bold: true };
    for (const row of section.rows) ws.addRow(row.cells);
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}
