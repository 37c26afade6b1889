import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { runCron } from "@/lib/cron";
import type { BenchContext } from "../lib/context";
import { medianOf, timeOnce } from "../lib/measure";

// Issue 5: a cron call with nothing due, under 50 ms. On a copy, the first calls do
// whatever the fresh seed has due (queued tasks, e-mails, a cycle step); then the timed
// calls find nothing to do. Baseline: one hand-written statement asking the same
// questions (claimable tasks, due e-mails, purgeable logs).

async function dueByHand(db: Db) {
  const [row] = rows<{ due: boolean }>(await db.execute(sql`
    select exists(select 1 from privacy_tasks where status = 'queued' or (status = 'running' and lease_until < now()))
      or exists(select 1 from outbox_emails where (status = 'queued' and next_attempt_at <= now()) or (status = 'sending' and lease_until < now()))
      or exists(select 1 from privacy_tasks, privacy_settings s where status in ('completed', 'failed', 'cancelled')
                and coalesce(finished_at, created_at) < now() - make_interval(months => s.task_log_retention_months))
      or exists(select 1 from outbox_emails, privacy_settings s where body_purged_at is null and status in ('sent', 'kept', 'failed')
                and coalesce(sent_at, created_at) < now() - make_interval(days => s.email_body_retention_days)) as due`));
  return row.due;
}

export async function run(ctx: BenchContext) {
  await ctx.withCopy("cron", async (db) => {
    let drained = 0;
    const first = await timeOnce(async () => {
      for (; drained < 20; drained++) {
        const result = await runCron(db, { workerId: "bench-cron" });
        if (!result.ok) throw new Error("a cron step failed (see the server log above)");
        if (!(await dueByHand(db))) break;
      }
    });
    const mine = await medianOf(ctx.args.runs, () => runCron(db, { workerId: "bench-cron" }));
    const base = await medianOf(ctx.args.runs, () => dueByHand(db));
    ctx.record({
      name: "cron call with nothing due",
      ms: mine.ms,
      baselineMs: base.ms,
      target: "< 50 ms",
      targetMs: 50,
      baseline: "one statement checking for claimable tasks, due e-mails and purgeable logs",
      note: `median of ${ctx.args.runs}; steps: ${Object.keys(mine.value).filter((k) => k !== "ok" && k !== "durationMs").join(", ")}; the fresh seed's due work took ${drained + 1} call(s), ${(first.ms / 1000).toFixed(1)} s`,
    });
  });
}
