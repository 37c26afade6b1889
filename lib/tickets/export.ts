import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";

export const ticketExportSchema = z.object({
  ids: z
    .string()
    .trim()
    .min(1, "select at least one ticket")
    .transform((v) => v.split(",").map((x) => Number(x.trim())))
    .pipe(z.array(z.number().int().positive("must be ticket ids")).min(1).max(5000, "at most 5,000 tickets at once")),
  format: z.enum(["csv", "xlsx"], { message: "must be csv or xlsx" }).default("xlsx"),
});

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
      where t.id = any(${sql.param(ids)}::int[])
      order by t.number`),
  );
}

// Spreadsheet programs execute cells starting with these characters as formulas.
function csvCell(value: unknown) {
  let s = value instanceof Date ? value.toISOString() : value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function ticketsCsv(items: Row[]) {
  return [COLUMNS.join(","), ...items.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(","))].join("\r\n") + "\r\n";
}

export async function ticketsXlsx(items: Row[]) {
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet("Tickets");
  ws.addRow([...COLUMNS]).font = { bold: true };
  for (const r of items) ws.addRow(COLUMNS.map((c) => r[c]));
  return new Uint8Array(await book.xlsx.writeBuffer());
}
