import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CurvePoint } from "../curve";
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
  const all = complete ? withCurve(results) : results;
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`\n[bench] wrote ${results.length} figures${all.length > results.length ? ` and the curve's ${all.length - results.length}` : ""} to ${path.relative(process.cwd(), file)}`);
}

// The curve (`--curve`, bench/curve.ts) is measured by a command of its own and kept in
// bench/curve.json; the committed results carry its figures too, one per size and cost,
// named "curve: …" with their `people`. Whichever of the two complete runs comes last
// writes them into results.json (the other's figures are kept).
const CURVE_FILE = path.join(import.meta.dirname, "..", "curve.json");

function curveFigures(): FigureResult[] {
  if (!existsSync(CURVE_FILE)) return [];
  const curve = JSON.parse(readFileSync(CURVE_FILE, "utf8")) as { complete?: boolean; points?: CurvePoint[] };
  if (!curve.complete || !curve.points) return [];
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en")} MiB`;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return curve.points.flatMap((p) => {
    const at = `${p.people.toLocaleString("en")} people`;
    const figure = (name: string, ms: number, note: string): FigureResult => ({ name: `curve: ${name}, ${at}`, ms: round(ms), baselineMs: null, ratio: null, note, people: p.people });
    return [
      figure("seed", p.seedMs, `database ${mib(p.databaseBytes)}; the Node process's peak resident memory ${mib(p.peakRssBytes)}`),
      figure("eligibility of everyone", p.eligibilityMs, `${p.eligible.toLocaleString("en")} eligible`),
      figure("review list, first page", p.reviewPageMs, "50 rows"),
      figure("set-based anonymisation of the eligible quarter", p.anonymiseQuarterMs, `${p.anonymised.toLocaleString("en")} people, 5,000 per transaction`),
      figure("one verification run", p.verifyMs, `${p.verifiedSubjects.toLocaleString("en")} subjects`),
    ];
  });
}

function withCurve(results: FigureResult[]) {
  return [...results.filter((r) => !r.name.startsWith("curve: ")), ...curveFigures()];
}

/** After a complete curve: its figures replace the earlier curve's in bench/results.json. */
export function addCurveToResults() {
  const file = resultsFile(true);
  if (!existsSync(file)) return;
  const results = JSON.parse(readFileSync(file, "utf8")) as FigureResult[];
  writeFileSync(file, `${JSON.stringify(withCurve(results), null, 2)}\n`);
}
