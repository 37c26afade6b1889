import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { recordAudit } from "@/lib/audit";
import { catalogues } from "@/lib/i18n/catalogues";
import { formatDateTime, type Language } from "@/lib/i18n/format";
import { defineOperation } from "@/lib/operation";
import { idSchema } from "@/lib/validation";

const COLUMNS = ["number", "title", "state", "customer", "owner", "organisation", "createdAt", "closedAt", "messages"] as const;
type Row = Record<(typeof COLUMNS)[number], string | number | Date | null>;

export async function getTicketsForExport(db: DbOrTx, ids: number[]) {
  return rows<Row>(
    await db.execute(sql`
      select t.number, t.title, t.state,
             case when t.anonymised_at is not null then 'Anonymized' else nullif(trim(c.first_name || ' ' || c.last_name), '') end as customer,
             nullif(trim(o.first_name || ' ' || o.last_name), '') as owner, org.name as organisation,
             t.created_at as "createdAt", t.closed_at as "closedAt",
             (select count(*)::int from messages m where m.ticket_id = t.id) as messages
      from tickets t
      left join people c on c.id = t.customer_id
      left join people o on o.id = t.owner_id
      left join organisations org on org.id = t.organisation_id
      where t.id = any(${intArray(ids)})
      order by t.number`),
  );
}

// The ticket list's download: the selected tickets (ids=1,2,3) as CSV or XLSX.
export const exportTickets = defineOperation({
  name: "exportTickets",
  permission: "people.export",
  input: z.object({
    // Text from the URL (`1,2,3`); over-long text is refused before it is split.
    ids: z.preprocess(
      (v) => (typeof v === "string" && v.length <= 60_000 ? v.split(",").map((x) => x.trim()) : null),
      z.array(idSchema, { error: "must be a comma-separated list of at most 5,000 ticket ids" })
        .min(1, "select at least one ticket").max(5000, "at most 5,000 tickets at once"),
    ),
    format: z.enum(["csv", "xlsx"], { error: "must be csv or xlsx" }).default("xlsx"),
  }),
  async run({ tx, actor, input }) {
    const items = await getTicketsForExport(tx, [...new Set(input.ids)]);
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "tickets.exported", targetType: "ticket", details: { count: items.length, format: input.format } });
    return { items, format: input.format };
  },
});

// The header row names the columns in the requester's language; times are written as the
// interface writes them, in the organisation's time zone.
function headers({ locale }: Language) {
  return COLUMNS.map((c) => catalogues[locale].tickets.export.columns[c]);
}

// Spreadsheet programs execute cells starting with these characters as formulas.
function csvCell(value: unknown, language: Language) {
  let s = value instanceof Date ? formatDateTime(value, language) : value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function ticketsCsv(items: Row[], language: Language) {
  const lines = [headers(language).map((h) => csvCell(h, language)).join(","), ...items.map((r) => COLUMNS.map((c) => csvCell(r[c], language)).join(","))];
  return lines.join("\r\n") + "\r\n";
}

export async function ticketsXlsx(items: Row[], language: Language) {
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet(catalogues[language.locale].tickets.export.sheet);
  // Dates stay dates, so the spreadsheet program shows and sorts them as its reader expects.
  ws.addRow(headers(language)).font = { bold: true };
  for (const r of items) ws.addRow(COLUMNS.map((c) => r[c]));
  return new Uint8Array(await book.xlsx.writeBuffer());
}
