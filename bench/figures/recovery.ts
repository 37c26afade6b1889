import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { runCron } from "@/lib/cron";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { LEASE_SECONDS } from "@/lib/privacy/worker/worker";
import type { BenchContext } from "../lib/context";

// Issue 15, recovery after a crash: 4,000 anonymisation tasks are queued, a worker in a
// process of its own claims them and is killed with SIGKILL in the middle of its run,
// as a crashed app server is. From the kill on, a scheduler calls /api/cron's run every
// second; the figure is the time from the kill to the first completed task. Its leases
// are 30 s and were renewed by the dead worker's heartbeat, so the floor is the lease
// left at the kill. Beside it: the same 4,000 tasks on a fresh copy, from the first
// cron call to the first completed task, without a crash.

const TASKS = 4000;
const MIN_TASKS = 1000;
const TITLE = "recovery after a worker killed in the middle of 4,000 tasks";
const POLL_MS = 1000;
/** The queued tasks' label: the seed's own erasure history holds completed tasks too. */
const LABEL = "Bench recovery";

async function queue(db: Db, ids: number[]) {
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
  await db.execute(sql`
    insert into privacy_tasks (action, origin, subject_person_id, subject_label, progress_total)
    select 'anonymise', 'bulk', id, ${LABEL}, 1 from unnest(${intArray(ids)}) id`);
}

const completed = async (db: Db) => Number(rows<{ n: number }>(await db.execute(sql`
  select count(*)::int as n from privacy_tasks where status = 'completed' and subject_label = ${LABEL}`))[0].n);

const claimedBy = async (db: Db, workerId: string) => Number(rows<{ n: number }>(await db.execute(sql`
  select count(*)::int as n from privacy_tasks where status = 'running' and worker_id = ${workerId}`))[0].n);

/** Calls the cron run every second until a task is completed; the time from `since`. */
async function untilFirstCompleted(db: Db, since: number) {
  let calls = 0;
  for (;;) {
    calls++;
    const started = Date.now();
    await runCron(db, { workerId: `bench-rescuer-${calls}` });
    // The call that completes the first task is the one that took the tasks over.
    if ((await completed(db)) > 0) return { ms: Date.now() - since, calls, takenOverMs: started - since };
    await new Promise((r) => setTimeout(r, Math.max(0, POLL_MS - (Date.now() - started))));
  }
}

export async function run(ctx: BenchContext) {
  const settings = await getPrivacySettings(ctx.db());
  const eligible = (await listEligiblePersonIds(ctx.db(), { settings, now: new Date() })).slice(0, TASKS);
  if (eligible.length < MIN_TASKS) {
    ctx.skip(TITLE, `needs ${MIN_TASKS.toLocaleString("en")} eligible people to kill a worker in the middle of its run; this seed has ${eligible.length.toLocaleString("en")}`);
    return;
  }

  const base = await ctx.withCopy("recovery_base", async (db) => {
    await queue(db, eligible);
    return untilFirstCompleted(db, Date.now());
  });

  const crash = await ctx.withCopy("recovery", async (db, name) => {
    await queue(db, eligible);
    const child = spawn("npx", ["tsx", path.join(import.meta.dirname, "../lib/worker-child.ts"), "bench-doomed"], {
      env: { ...process.env, DATABASE_URL: ctx.dbs.url(name) }, stdio: "inherit", detached: true,
    });
    let gone = false;
    const exited = new Promise((resolve) => child.on("exit", (code) => resolve((gone = true, code))));
    // Mid-run: the tasks are claimed and their batch is being anonymised.
    while (!gone && (await claimedBy(db, "bench-doomed")) === 0 && (await completed(db)) === 0) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const finishedEarly = (await completed(db)) > 0;
    const killedAt = Date.now();
    // npx → tsx → node: the whole process group dies, as a server's would.
    if (!gone) process.kill(-child.pid!, "SIGKILL");
    await exited;
    if (finishedEarly) return null;
    const held = await claimedBy(db, "bench-doomed");
    const recovered = await untilFirstCompleted(db, killedAt);
    const lost = Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from privacy_tasks where status <> 'completed' and subject_label = ${LABEL}`))[0].n);
    return { ...recovered, held, lost };
  });

  if (!crash) {
    ctx.skip(TITLE, "the worker finished its run before it could be killed");
    return;
  }
  ctx.record({
    name: "recovery after a killed worker: kill → first completed task",
    ms: crash.ms,
    baselineMs: base.ms,
    target: `< ${LEASE_SECONDS} s lease + one run`,
    baseline: `the same ${eligible.length.toLocaleString("en")} tasks without a crash, first cron call → first completed task`,
    note: `${crash.held.toLocaleString("en")} tasks held by the killed worker, taken over by the cron call that started ${(crash.takenOverMs / 1000).toFixed(1)} s after the kill (call ${crash.calls}, one a second); ${crash.lost} not completed at the end`,
  });
}
