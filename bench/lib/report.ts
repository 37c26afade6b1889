import { writeFileSync } from "node:fs";
import path from "node:path";
import type { FigureResult, Skipped } from "./context";

// bench/results.json holds the figures of a complete run at the size of SPEC §9 (100,000
// people); any other run (fewer people, --only, --reuse) writes bench/results.local.json,
// which git ignores, so that a quick run never replaces the committed figures.
export function resultsFile(complete: boolean) {
  return path.join(import.meta.dirname, "..", complete ? "results.json" : "results.local.json");
}

function formatMs(ms: number | null) {
  if (ms === null) return "—";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(1)} ms`;
}

function pad(cells: string[], widths: number[], right: boolean[]) {
  return cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
}

export function printTable(results: FigureResult[], skipped: Skipped[], people: number, machine: string) {
  const header = ["figure", "Lethe", "hand-written SQL", "ratio", "target", "ok"];
  const right = [false, true, true, true, false, false];
  const body = results.map((r) => [
    r.name,
    `${r.lowerBound ? "> " : ""}${formatMs(r.ms)}`,
    formatMs(r.baselineMs),
    r.ratio === null ? "—" : `${r.lowerBound ? "> " : ""}×${r.ratio.toFixed(2)}`,
    r.target ?? "",
    r.meetsTarget === undefined ? "" : r.meetsTarget ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  console.log(`\nLethe bench — PostgreSQL, ${people.toLocaleString("en")} seeded people (${machine})\n`);
  console.log(pad(header, widths, right));
  console.log(rule);
  for (const row of body) console.log(pad(row, widths, right));
  const notes = results.filter((r) => r.note || r.baseline);
  if (notes.length) {
    console.log("\nNotes:");
    for (const r of notes) {
      console.log(`- ${r.name}: ${[r.baseline ? `baseline: ${r.baseline}` : "", r.note ?? ""].filter(Boolean).join("; ")}`);
    }
  }
  if (skipped.length) {
    console.log("\nNot measured:");
    for (const s of skipped) console.log(`- ${s.figure}: ${s.reason}`);
  }
}

export function writeResults(results: FigureResult[], complete: boolean) {
  const file = resultsFile(complete);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n[bench] wrote ${results.length} figures to ${path.relative(process.cwd(), file)}`);
}
