import { Empty } from "../../../_components/ui";
import { ChartFrame, type ChartTable, type Segment, TICK_TEXT } from "./chart-frame";
import { niceScale } from "./scale";

// A bar chart of months (or any categories), each bar a stack of segments, drawn on the
// server as SVG. Why not a chart library: the page runs under a CSP without
// 'unsafe-inline' styles, which refuses the inline style attributes a library such as
// recharts writes, and those libraries draw in the browser (client JavaScript, a render
// after hydration). Here the geometry is SVG presentation attributes (x, y, width,
// height), the colours Tailwind classes, and the page arrives complete in its server time.
//
// Keyboard and screen readers: each bar is one tab stop, an image named by `names[i]`
// ("March 2026: 1,234 tickets, 210 anonymised"); focusing or hovering it draws a ring and
// shows that sentence above the plot, by CSS alone. The figure's table holds the same
// numbers.

const W = 720;
const H = 250;
const M = { top: 26, right: 8, bottom: 50, left: 56 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

export type Category = { key: string; label: string; mark?: string };

export function BarChart({ id, title, note, xLabel, yLabel, categories, segments, values, names, table, empty, showTable, formatNumber }: {
  id: string;
  title: string;
  note?: string;
  xLabel: string;
  yLabel: string;
  categories: Category[];
  /** Bottom to top. */
  segments: Segment[];
  /** values[category][segment] */
  values: number[][];
  names: string[];
  table: ChartTable;
  empty: string;
  showTable: string;
  formatNumber: (n: number) => string;
}) {
  const totals = values.map((v) => v.reduce((s, n) => s + n, 0));
  if (totals.every((t) => t === 0)) {
    return <ChartFrame id={id} title={title} note={note}><Empty>{empty}</Empty></ChartFrame>;
  }
  const scale = niceScale(Math.max(...totals));
  const y = (n: number) => M.top + PLOT_H - (n / scale.max) * PLOT_H;
  const slot = PLOT_W / categories.length;
  const barW = Math.max(4, Math.min(28, slot * 0.62));
  const bottom = M.top + PLOT_H;

  return (
    <ChartFrame id={id} title={title} note={note} segments={segments} table={table} showTable={showTable}>
      <svg viewBox={`0 0 ${W} ${H}`} className="block h-auto w-full" role="group" aria-labelledby={`${id}-title`}>
        <g aria-hidden="true">
          {scale.ticks.map((t) => (
            <g key={t}>
              <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className={t === 0 ? "stroke-muted" : "stroke-line"} strokeWidth={1} />
              <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end" className={TICK_TEXT}>{formatNumber(t)}</text>
            </g>
          ))}
          <text transform={`translate(12 ${M.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle" className="fill-muted text-[11px]">{yLabel}</text>
          {categories.map((c, i) => (
            <g key={c.key}>
              <text x={M.left + slot * (i + 0.5)} y={bottom + 14} textAnchor="middle" className={TICK_TEXT}>{c.label}</text>
              {c.mark ? <text x={M.left + slot * (i + 0.5)} y={bottom + 27} textAnchor="middle" className="fill-muted text-[10px] font-semibold">{c.mark}</text> : null}
            </g>
          ))}
          <text x={M.left + PLOT_W / 2} y={H - 4} textAnchor="middle" className="fill-muted text-[11px]">{xLabel}</text>
        </g>
        {categories.map((c, i) => {
          const x = M.left + slot * i;
          let stacked = 0;
          return (
            <g key={c.key} role="img" aria-label={names[i]} tabIndex={0} className="group outline-none">
              <rect x={x} y={M.top} width={slot} height={PLOT_H} fill="transparent" />
              {segments.map((s, j) => {
                const n = values[i][j];
                if (n <= 0) return null;
                const top = y(stacked + n);
                const height = y(stacked) - top;
                stacked += n;
                return <rect key={s.key} x={x + (slot - barW) / 2} y={top} width={barW} height={height} className={`${s.fill} stroke-white group-hover:opacity-80`} strokeWidth={0.75} />;
              })}
              <rect x={x + 1} y={M.top - 3} width={slot - 2} height={PLOT_H + 6} rx={3} fill="none" strokeWidth={2}
                className="stroke-accent opacity-0 group-focus-visible:opacity-100" />
              <g className="hidden group-hover:inline group-focus-visible:inline">
                <rect x={M.left} y={0} width={PLOT_W} height={M.top - 6} className="fill-white" />
                <text x={M.left} y={M.top - 11} className="fill-ink text-[12px] font-medium">{names[i]}</text>
              </g>
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}
