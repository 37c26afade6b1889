import type { ReactNode } from "react";

// What every chart of the overview has around its drawing: the title (the figure's
// caption, which also names the drawing), a note, the legend, and the same numbers as a
// table under "Show as table" — the alternative for anyone who does not read the bars.

/** A series of a chart; `fill` colours the SVG, `swatch` the legend (the same colour). */
export type Segment = { key: string; label: string; fill: string; swatch: string };
export type ChartTable = { head: string[]; rows: { key: string; cells: string[] }[] };

export const TICK_TEXT = "fill-muted text-[11px] tabular-nums";

export function ChartFrame({ id, title, note, segments, table, showTable, children }: {
  id: string;
  title: string;
  note?: string;
  segments?: Segment[];
  table?: ChartTable;
  showTable?: string;
  children: ReactNode;
}) {
  return (
    <figure id={id} aria-labelledby={`${id}-title`} className="mb-5 last:mb-0">
      <div className="mb-1 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <figcaption id={`${id}-title`} className="font-medium">{title}</figcaption>
        {segments && segments.length > 1 ? (
          <ul className="flex flex-wrap gap-x-4 text-sm text-muted">
            {segments.map((s) => (
              <li key={s.key} className="flex items-center gap-1.5">
                <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-sm ${s.swatch}`} />
                {s.label}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {note ? <p className="mb-1 text-sm text-muted">{note}</p> : null}
      {children}
      {table && showTable ? (
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer text-accent">{showTable}</summary>
          <table className="mt-1">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>{table.head.map((h, i) => <th key={h} scope="col" className={i > 0 ? "text-right" : undefined}>{h}</th>)}</tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={r.key}>
                  {r.cells.map((c, i) => i === 0
                    ? <th key={i} scope="row" className="text-sm font-normal normal-case tracking-normal text-ink">{c}</th>
                    : <td key={i} className="text-right tabular-nums">{c}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </figure>
  );
}
