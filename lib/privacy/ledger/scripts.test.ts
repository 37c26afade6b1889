import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/db/client";
import { type ThrowawayDatabase, throwawayDatabase } from "@/test/throwaway-database";
import { type AffectedIds, type Backup, comparable, dumpAffected, eraseThroughWorker, erasureScenario, restoreAffected } from "@/test/ledger-restore";
import { keyFingerprint } from "./hash";

// npm run erasures:export and erasures:replay as an operator runs them, as child
// processes, on a throwaway database (a PGlite folder, or a database of its own on the
// PostgreSQL server when DATABASE_URL is set): backup → erasures → export → restore →
// replay with the wrong key (stops), a dry run (reports), the replay (the tables are as
// after the erasures), and the replay again (finds nothing).

const ROOT = path.resolve(import.meta.dirname, "../../..");
const KEY = "a-scripts-test-pseudonym-key-32-chars-long";
const OTHER_KEY = "another-scripts-test-key-of-32-characters";
const cachedEnv = globalThis as { __letheEnv?: unknown };
const dir = mkdtempSync(path.join(os.tmpdir(), "lethe-ledger-scripts-"));

let database: ThrowawayDatabase;

beforeAll(async () => {
  vi.stubEnv("PSEUDONYM_KEY", KEY);
  delete cachedEnv.__letheEnv;
  database = await throwawayDatabase("ledger");
});
afterAll(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
  delete cachedEnv.__letheEnv;
});

type Run = { code: number | null; stdout: string; stderr: string };

function npmRun(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|NODE_ENV$|DATABASE_URL$|PGLITE_DIR$|PSEUDONYM_KEY$)/.test(key)) continue;
    childEnv[key] = value;
  }
  Object.assign(childEnv, database.env, { PSEUDONYM_KEY: KEY }, env);
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", script, ...(args.length ? ["--", ...args] : [])], { cwd: ROOT, env: childEnv as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The database in this process for one step: a PGlite folder is never open in two processes. */
async function inDb<T>(step: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = database.open();
  try {
    return await step(handle);
  } finally {
    await handle.close();
  }
}

const ok = (run: Run) => expect({ code: run.code, stderr: run.stderr.trim() }, run.stdout).toEqual({ code: 0, stderr: "" });

describe.sequential("npm run erasures:export and erasures:replay", { timeout: 180_000 }, () => {
  it("export, restore, replay: the wrong key stops, a dry run reports, the replay restores the erasures, a second finds nothing", async () => {
    ok(await npmRun("db:migrate", []));
    const started = new Date();
    const runs = { from: started, until: new Date(started.getTime() + 60 * 60_000) };
    const since = started.toISOString().slice(0, 10);
    let ids!: AffectedIds;
    let backup!: Backup;
    let erased!: Backup;
    await inDb(async ({ db }) => {
      await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
      const scenario = await erasureScenario(db);
      ids = scenario.ids;
      backup = await dumpAffected(db, ids);
      const result = await eraseThroughWorker(db, { anonymise: [scenario.anonymised.id], delete: [scenario.deleted.id] });
      expect(result).toMatchObject({ completed: 2, failed: 0 });
      erased = comparable(await dumpAffected(db, ids), runs);
    });

    const file = path.join(dir, "ledger.jsonl");
    const exported = await npmRun("erasures:export", ["--out", file]);
    ok(exported);
    expect(exported.stdout.trim()).toBe(`Wrote 2 ledger rows to ${file} (key fingerprint ${keyFingerprint(KEY)}).`);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ format: "lethe-erasure-ledger", version: 1, keyFingerprint: keyFingerprint(KEY), rows: 2 });
    expect(lines.slice(1).map((l) => l.action).sort()).toEqual(["anonymise", "delete"]);

    // The restore of a backup taken before the erasures: the ledger table goes back too.
    await inDb(async ({ db }) => {
      await restoreAffected(db, backup, ids);
      await db.execute(sql`delete from erasure_ledger`);
      expect(comparable(await dumpAffected(db, ids), runs)).toEqual(comparable(backup, runs));
    });

    const wrongKey = await npmRun("erasures:replay", ["--since", since, "--ledger", file], { PSEUDONYM_KEY: OTHER_KEY });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr.trim()).toBe(`[lethe] The ledger file was written with another PSEUDONYM_KEY (key fingerprint ${keyFingerprint(KEY)}, this key ${keyFingerprint(OTHER_KEY)}). Nothing was changed.`);
    const dry = await npmRun("erasures:replay", ["--since", since, "--ledger", file, "--dry-run"]);
    ok(dry);
    expect(dry.stdout).toContain("Dry run: nothing changed. Ledger (file): 2 rows, 2 subjects");
    expect(dry.stdout).toContain("Subjects found again: 2 (1 to anonymise, 1 to delete)");
    await inDb(async ({ db }) => expect(comparable(await dumpAffected(db, ids), runs)).toEqual(comparable(backup, runs)));

    const replay = await npmRun("erasures:replay", ["--since", since, "--ledger", file]);
    ok(replay);
    expect(replay.stdout).toContain("Subjects found again: 2 (1 to anonymise, 1 to delete)");
    expect(replay.stdout).toMatch(/^Applied again: 2 completed, 0 skipped, 0 failed \(tasks of batch erasure-replay:/m);
    expect(replay.stdout).toMatch(/^Records changed: [1-9]\d*$/m);
    expect(replay.stdout).toContain("Residue after: 0 identifiers found by verification");
    await inDb(async ({ db }) => expect(comparable(await dumpAffected(db, ids), runs)).toEqual(erased));

    const again = await npmRun("erasures:replay", ["--since", since, "--ledger", file]);
    ok(again);
    expect(again.stdout).toContain("Subjects found again: 0 (0 to anonymise, 0 to delete)");
    expect(again.stdout).not.toContain("Applied again");
    await inDb(async ({ db }) => expect(comparable(await dumpAffected(db, ids), runs)).toEqual(erased));

    const missing = await npmRun("erasures:replay", []);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe("[lethe] --since is required: the date of the backup, as YYYY-MM-DD (e.g. --since 2026-01-01)");
  });
});
