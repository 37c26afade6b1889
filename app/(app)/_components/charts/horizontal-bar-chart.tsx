import { Empty } from "../../../_components/ui";
import { ChartFrame, type ChartTable, type Segment, TICK_TEXT } from "./chart-frame";
import { niceScale } from "./scale";

// A few categories (the statuses of the open requests) as horizontal bars with their
// number at the end, drawn on the server as SVG for the reasons given in bar-chart.tsx.
// Each bar is a tab stop named by `names[i]`; the figure's table holds the same numbers.

const W = 360;
const ROW = 26;
const M = { top: 4, right: 40, bottom: 34, left: 132 };

export type Bar = { key: string; label: string; value: number };

export function HorizontalBarChart({ id, title, note, xLabel, bars, segment, names, table, empty, showTable, formatNumber }: {
  id: string;
  title: string;
  note?: string;
  xLabel: string;
  bars: Bar[];
  segment: Segment;
  names: string[];
  table: ChartTable;
  empty: string;
  showTable: string;
  formatNumber: (n: number) => string;
}) {
  if (bars.every((b) => b.value === 0)) {
    return <ChartFrame id={id} title={title} note={note}><Empty>{empty}</Empty></ChartFrame>;
  }
  const plotW = W - M.left - M.right;
  const plotH = ROW * bars.length;
  const H = M.top + plotH + M.bottom;
  const scale = niceScale(Math.max(...bars.map((b) => b.value)), 4);
  const x = (n: number) => M.left + (n / scale.max) * plotW;
  const bottom = M.top + plotH;

  return (
    <ChartFrame id={id} title={title} note={note} table={table} showTable={showTable}>
      <svg viewBox={`0 0 ${W} ${H}`} className="block h-auto w-full max-w-md" role="group" aria-labelledby={`${id}-title`}>
        <g aria-hidden="true">
          {scale.ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={M.top} y2={bottom} className={t === 0 ? "stroke-muted" : "stroke-line"} strokeWidth={1} />
              <text x={x(t)} y={bottom + 13} textAnchor="middle" className={TICK_TEXT}>{formatNumber(t)}</text>
            </g>
          ))}
          <text x={M.left + plotW / 2} y={H - 4} textAnchor="middle" className="fill-muted text-[11px]">{xLabel}</text>
        </g>
        {bars.map((b, i) => {
          const top = M.top + ROW * i;
          return (
            <g key={b.key} role="img" aria-label={names[i]} tabIndex={0} className="group outline-none">
              <rect x={0} y={top} width={W} height={ROW} fill="transparent" />
              <text x={M.left - 8} y={top + ROW / 2} dy="0.32em" textAnchor="end" className="fill-ink text-[12px]">{b.label}</text>
              {b.value > 0 ? <rect x={M.left} y={top + 5} width={x(b.value) - M.left} height={ROW - 10} className={`${segment.fill} group-hover:opacity-80`} /> : null}
              <text x={x(b.value) + 5} y={top + ROW / 2} dy="0.32em" className="fill-ink text-[12px] font-medium tabular-nums">{formatNumber(b.value)}</text>
              <rect x={1} y={top + 1} width={W - 2} height={ROW - 2} rx={3} fill="none" strokeWidth={2}
                className="stroke-accent opacity-0 group-focus-visible:opacity-100" />
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}
