import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { DbOrTx } from "@/db/client";
import { catalogues } from "@/lib/i18n/catalogues";
import { formatDateTime, type Language } from "@/lib/i18n/format";
import { actionLabel, maskedLabelOf, outcomeOf, reasonOf, targetTypeLabel } from "./present";
import { AUDIT_EXPORT_LIMIT, type AuditEntryView, type AuditFilter, auditEntryBatches } from "./queries";

// The audit log's download (/privacy/audit/export): the filtered entries, newest first,
// as CSV or XLSX, written batch by batch as they are read, so a file of a million
// entries never sits whole in memory. Headers and labels in the reader's language, times
// in the organisation's time zone; the raw action name and both hashes are kept so the
// file can be checked against the chain.

const COLUMNS = ["id", "time", "actor", "action", "actionName", "objectType", "objectId", "label", "reason", "outcome", "details", "prevHash", "hash"] as const;
type Column = (typeof COLUMNS)[number];

function cells(entry: AuditEntryView, language: Language): Record<Column, string | number | Date | null> {
  const words = catalogues[language.locale].audit;
  return {
    id: entry.id,
    time: entry.createdAt,
    actor: entry.actorAccountId === null ? words.system : entry.actorEmail ?? words.deletedAccount.replace("{id}", String(entry.actorAccountId)),
    action: actionLabel(words, entry.action),
    actionName: entry.action,
    objectType: targetTypeLabel(words, entry.targetType),
    objectId: entry.targetId,
    label: maskedLabelOf(entry.details),
    reason: reasonOf(entry.details),
    outcome: words.outcomes[outcomeOf(entry)],
    details: JSON.stringify(entry.details),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

// Spreadsheet programs execute cells starting with these characters as formulas.
function csvCell(value: unknown, language: Language) {
  let s = value instanceof Date ? formatDateTime(value, language) : value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const headers = (language: Language) => COLUMNS.map((c) => catalogues[language.locale].audit.export.columns[c]);

/** The CSV as a stream of text chunks, one per batch of entries. */
export function auditCsvStream(db: DbOrTx, filter: AuditFilter, language: Language): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let batches: AsyncGenerator<AuditEntryView[]> | null = null;
  return new ReadableStream({
    async pull(controller) {
      if (!batches) {
        batches = auditEntryBatches(db, filter, { limit: AUDIT_EXPORT_LIMIT });
        controller.enqueue(encoder.encode(headers(language).map((h) => csvCell(h, language)).join(",") + "\r\n"));
        return;
      }
      const next = await batches.next();
      if (next.done) return controller.close();
      const lines = next.value.map((e) => {
        const row = cells(e, language);
        return COLUMNS.map((c) => csvCell(row[c], language)).join(",");
      });
      controller.enqueue(encoder.encode(lines.join("\r\n") + "\r\n"));
    },
    async cancel() {
      await batches?.return(undefined);
    },
  });
}

/** The XLSX, written row by row by exceljs's streaming writer. */
export function auditXlsxStream(db: DbOrTx, filter: AuditFilter, language: Language): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = book.addWorksheet(catalogues[language.locale].audit.export.sheet);
  (async () => {
    const head = ws.addRow(headers(language));
    head.font = { bold: true };
    head.commit();
    for await (const batch of auditEntryBatches(db, filter, { limit: AUDIT_EXPORT_LIMIT })) {
      for (const e of batch) {
        const row = cells(e, language);
        // Dates stay dates, so the spreadsheet program shows and sorts them as its reader expects.
        ws.addRow(COLUMNS.map((c) => row[c])).commit();
      }
    }
    ws.commit();
    await book.commit();
  })().catch((error) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return new ReadableStream({
    start(controller) {
      // Read no faster than the browser takes the file.
      out.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) out.pause();
      });
      out.on("end", () => controller.close());
      out.on("error", (error) => controller.error(error));
    },
    pull() {
      out.resume();
    },
    cancel() {
      out.destroy();
    },
  });
}
