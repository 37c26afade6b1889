import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg, totalmem } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type DbHandle, rows } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { seedDatabase } from "@/db/seed/seed";
import { anonymisePeople, collectIdentifiers } from "@/lib/privacy/anonymise/anonymise";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { listReviewPage } from "@/lib/privacy/eligibility/review-list";
import { scanResidue } from "@/lib/privacy/erasure/verify";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import type { BenchArgs } from "./lib/args";
import type { BenchDatabases } from "./lib/databases";
import { medianOf, timeOnce } from "./lib/measure";
import { addCurveToResults } from "./lib/report";

// npm run bench -- --curve [--sizes 10000,100000,1000000]
//
// How the cost grows with the population. For each size: a database seeded with that many
// people, then eligibility of everyone, the review list's first page, the set-based
// anonymisation of the eligible quarter (5,000 people per transaction, as the worker runs
// it), one verification run (the scan for the first 5,000 of them, as the bench's verify figure) and the
// database's size; beside them the Node process's peak memory so far (its resident set,
// and the V8 heap sampled every 100 ms). Sizes run from small to large; each database is
// dropped before the next is seeded, unless --keep. The table gives each figure's growth
// against the size before it: ×10 people at ×10 cost is linear. The default sizes write
// bench/curve.json; others bench/curve.local.json.

const CHUNK = 5000;

export type CurvePoint = {
  people: number;
  seedMs: number;
  eligibilityMs: number;
  eligible: number;
  reviewPageMs: number;
  anonymiseQuarterMs: number;
  anonymised: number;
  verifyMs: number;
  verifiedSubjects: number;
  databaseBytes: number;
  peakRssBytes: number;
  peakHeapBytes: number;
  loadAverage: number;
};

export const CURVE_SIZES = [10_000, 100_000, 1_000_000];

export async function runCurve(args: BenchArgs, dbs: BenchDatabases, log: (line: string) => void) {
  const complete = args.sizes.join(",") === CURVE_SIZES.join(",");
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 100);
  sampler.unref();
  const points: CurvePoint[] = [];
  // Only the full curve is committed (bench/curve.json); other sizes go to curve.local.json,
  // which git ignores. Written after every size, so that a run stopped at the largest keeps the others.
  const file = path.join(import.meta.dirname, complete ? "curve.json" : "curve.local.json");
  const machine = { cores: availableParallelism(), memoryBytes: totalmem() };
  const save = () => writeFileSync(file, `${JSON.stringify({ machine, complete: points.length === args.sizes.length, points }, null, 2)}\n`);
  try {
    for (const people of args.sizes) {
      const name = dbs.name(`curve_${people}`);
      await dbs.create(name);
      let handle: DbHandle | null = null;
      try {
        const migration = dbs.open(name, 1);
        await migrateDb(migration).finally(() => migration.close());
        handle = dbs.open(name, 10);
        const db = handle.db;
        log(`curve: seeding ${people.toLocaleString("en")} people…`);
        const seed = await timeOnce(() => seedDatabase(db, { people, log: (l) => log(`  ${l}`) }));
        await db.execute(sql`vacuum (analyze)`);
        const settings = await getPrivacySettings(db);
        const now = new Date();
        const eligibility = await medianOf(Math.min(args.runs, 5), () => listEligiblePersonIds(db, { settings, now }));
        const review = await medianOf(Math.min(args.runs, 5), () => listReviewPage(db, { settings, now, page: 1, pageSize: 50 }));
        const quarter = eligibility.value.slice(0, Math.ceil(eligibility.value.length / 4));
        const run = quarter.slice(0, CHUNK);
        // The identifiers one worker run verifies are read before their people are anonymised.
        const subjects = await collectIdentifiers(db, run, { settings });
        const anonymise = await timeOnce(async () => {
          for (let i = 0; i < quarter.length; i += CHUNK) {
            await db.transaction((tx) => anonymisePeople(tx, quarter.slice(i, i + CHUNK), { settings, now }));
          }
        });
        const verify = await timeOnce(() => scanResidue(db, subjects));
        const [size] = rows<{ bytes: string }>(await db.execute(sql`select pg_database_size(current_database())::text as bytes`));
        const point: CurvePoint = {
          people, seedMs: seed.ms, eligibilityMs: eligibility.ms, eligible: eligibility.value.length, reviewPageMs: review.ms,
          anonymiseQuarterMs: anonymise.ms, anonymised: quarter.length, verifyMs: verify.ms, verifiedSubjects: subjects.length,
          databaseBytes: Number(size.bytes), peakRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes: peakHeap,
          loadAverage: loadavg()[0],
        };
        points.push(point);
        save();
        log(`curve: ${people.toLocaleString("en")} people done — ${JSON.stringify(point)}`);
      } finally {
        await handle?.close().catch(() => {});
        if (!args.keep) await dbs.drop(name);
      }
    }
  } finally {
    clearInterval(sampler);
  }
  printCurve(points);
  console.log(`\n[bench] wrote the curve (${points.length} sizes) to ${path.relative(process.cwd(), file)}`);
  if (complete && points.length === args.sizes.length) {
    addCurveToResults();
    console.log("[bench] and its figures to bench/results.json");
  }
}

const seconds = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function printCurve(points: CurvePoint[]) {
  const columns: { title: string; value: (p: CurvePoint) => number; show: (p: CurvePoint) => string }[] = [
    { title: "seed", value: (p) => p.seedMs, show: (p) => seconds(p.seedMs) },
    { title: "eligibility", value: (p) => p.eligibilityMs, show: (p) => seconds(p.eligibilityMs) },
    { title: "review page", value: (p) => p.reviewPageMs, show: (p) => seconds(p.reviewPageMs) },
    { title: "anonymise ¼ eligible", value: (p) => p.anonymiseQuarterMs, show: (p) => `${seconds(p.anonymiseQuarterMs)} (${p.anonymised.toLocaleString("en")})` },
    { title: "verification run", value: (p) => p.verifyMs, show: (p) => `${seconds(p.verifyMs)} (${p.verifiedSubjects.toLocaleString("en")})` },
    { title: "database", value: (p) => p.databaseBytes, show: (p) => mib(p.databaseBytes) },
    { title: "peak RSS", value: (p) => p.peakRssBytes, show: (p) => mib(p.peakRssBytes) },
  ];
  console.log(`\nLethe bench — the curve (${availableParallelism()} cores, ${mib(totalmem())} of memory)\n`);
  const header = ["people", ...columns.map((c) => c.title)];
  const body = points.map((p, i) => [
    points[i - 1] ? `${p.people.toLocaleString("en")} ×${(p.people / points[i - 1].people).toFixed(1)}` : p.people.toLocaleString("en"),
    ...columns.map((c) => {
      const before = points[i - 1];
      return before ? `${c.show(p)} ×${(c.value(p) / c.value(before)).toFixed(1)}` : c.show(p);
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  console.log(header.map((h, i) => h.padEnd(widths[i])).join("  "));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of body) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  "));
  console.log("\n×N: against the size before it. A figure that grows as much as the people grows linearly.");
}
