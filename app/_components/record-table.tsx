import type { ReactNode } from "react";
import { Empty } from "./ui";

export type RecordColumn<Row> = {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Right-aligned with even-width digits: amounts. */
  numeric?: boolean;
  /** Kept on one line: dates and times. */
  nowrap?: boolean;
};

/**
 * A list of records as a table, or the `empty` words when there are none. The label
 * names the table for assistive technology, as the section heading does on screen.
 */
export function RecordTable<Row extends { id: number | string }>({ label, rows, columns, empty }: {
  label: string; rows: readonly Row[]; columns: readonly RecordColumn<Row>[]; empty: ReactNode;
}) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          {columns.map((c) => <th key={c.header} scope="col" className={c.numeric ? "text-right" : undefined}>{c.header}</th>)}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            {columns.map((c) => (
              <td key={c.header} className={[c.numeric && "text-right tabular-nums", c.nowrap && "whitespace-nowrap"].filter(Boolean).join(" ") || undefined}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
