import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { env } from "@/lib/env";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { exportLedger, readLedgerFile } from "@/lib/privacy/ledger/ledger";
import { replayErasures } from "@/lib/privacy/ledger/replay";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { runWorker } from "@/lib/privacy/worker/worker";
import type { BenchContext } from "../lib/context";
import { compareFingerprints, fingerprint } from "../lib/fingerprint";
import { timeOnce } from "../lib/measure";

// Issue 12: the replay of the annual run's ledgered erasures (~28k at 100k people) on a
// restored copy, set against the original run. The original: every eligible person
// queued as an anonymisation task and run through the worker (5,000 per transaction,
// verified, ledgered), on one copy of the seeded data; its ledger is exported to a file.
// The restore: a second copy of the seeded data, which predates those erasures, as a
// backup would; `erasures:replay --ledger FILE` runs there (hashing the restored
// profiles, then the same worker code). The two copies should end with the same data,
// except the invoices kept under a retention obligation: their kept_ref is a random
// pseudonym drawn anew by each erasure (lib/obligations/keep.ts).

async function queueAll(db: Db, ids: number[]) {
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
  await db.execute(sql`
    insert into privacy_tasks (action, origin, subject_person_id, subject_label, progress_total)
    select 'anonymise', 'bulk', id, 'Bench', 1 from unnest(${intArray(ids)}) id`);
}

export async function run(ctx: BenchContext) {
  // The ledger needs the key; a run without one uses a key of its own.
  if (!env().PSEUDONYM_KEY) {
    process.env.PSEUDONYM_KEY = randomBytes(32).toString("base64");
    delete (globalThis as { __letheEnv?: unknown }).__letheEnv;
  }
  const settings = await getPrivacySettings(ctx.db());
  const now = new Date();
  const eligible = await listEligiblePersonIds(ctx.db(), { settings, now });
  if (!eligible.length) throw new Error("nobody is eligible in the seeded database");
  const dir = mkdtempSync(path.join(os.tmpdir(), "lethe-bench-ledger-"));
  const file = path.join(dir, "ledger.jsonl");
  try {
    const original = await ctx.withCopy("ledger_run", async (db) => {
      await queueAll(db, eligible);
      const t = await timeOnce(() => runWorker(db, { workerId: "bench-ledger", now }));
      const exported = await exportLedger(db, file);
      return { ms: t.ms, completed: t.value.completed, rows: exported.rows, data: await fingerprint(db) };
    });
    const replay = await ctx.withCopy("ledger_restored", async (db) => {
      await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
      const ledger = readLedgerFile(file);
      const t = await timeOnce(() => replayErasures(db, { since: new Date(now.getTime() - 86_400_000), ledger }));
      const [size] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from erasure_ledger where replay`));
      return { ms: t.ms, summary: t.value, replayRows: Number(size.n), data: await fingerprint(db) };
    });
    const s = replay.summary;
    ctx.record({
      name: `replay of ${original.rows.toLocaleString("en")} ledgered erasures on a restored copy`,
      ms: replay.ms,
      baselineMs: original.ms,
      baseline: `the original worker run that erased them (${original.completed.toLocaleString("en")} anonymisations, verified and ledgered)`,
      note: `found again ${s.found.anonymise + s.found.delete}, completed ${s.completed}, skipped ${s.skipped}, failed ${s.failed}, records changed ${s.recordsChanged.toLocaleString("en")}, residue after ${s.residue}; ${replay.replayRows.toLocaleString("en")} replay rows ledgered; ${compareFingerprints(replay.data, original.data)}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
