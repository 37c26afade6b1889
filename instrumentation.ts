// Next.js calls `register` once per server process. In development (or whenever
// LETHE_WORKER_INTERVAL_SECONDS > 0) an in-process interval calls the same `runCron`
// as GET /api/cron, so queued tasks run without an external scheduler. Overlapping
// runs are skipped here only to save work: correctness comes from the database locks.
//
// NEXT_RUNTIME and NEXT_PHASE are set by Next itself (not configuration), which is why
// they are read here rather than through lib/env.ts.

const DEFAULT_DEV_INTERVAL_SECONDS = 15;

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("./lib/env");
  const configured = env().LETHE_WORKER_INTERVAL_SECONDS;
  const seconds = configured > 0 ? configured : env().NODE_ENV === "development" ? DEFAULT_DEV_INTERVAL_SECONDS : 0;
  if (seconds <= 0) return;

  const state = globalThis as unknown as { __letheWorkerInterval?: ReturnType<typeof setInterval> };
  if (state.__letheWorkerInterval) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const [{ getDb }, { runCron }] = await Promise.all([import("./db/client"), import("./lib/cron")]);
      const result = await runCron(getDb(), { now: new Date(), budgetMs: Math.min(50_000, seconds * 1000 * 4) });
      const tasks = result.tasks as { claimed?: number } | undefined;
      if (!result.ok || (tasks?.claimed ?? 0) > 0) console.log("[lethe] worker interval:", JSON.stringify(result));
    } catch (error) {
      console.error("[lethe] worker interval failed", error);
    } finally {
      running = false;
    }
  };
  state.__letheWorkerInterval = setInterval(tick, seconds * 1000);
  state.__letheWorkerInterval.unref?.();
  console.log(`[lethe] in-process worker: runCron every ${seconds} s`);
}
