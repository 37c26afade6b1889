import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { runCron } from "@/lib/cron";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { anonymiseChunksByHand } from "../lib/anonymise-sql";
import { type BenchContext, TimeLimitError } from "../lib/context";
import { timeOnce } from "../lib/measure";

// Issue 5: a full cron run on the run date of the annual cycle — every profile eligible
// that day anonymised through queued tasks, the worker and verification, over as many
// cron calls (50 s budget each, as the route has) as it takes. On a copy whose cycle
// calendar is set so that the run date is today: the notice went out 35 days ago and the
// reminders after it (earlier cron calls at those instants). Baseline: the hand-written
// set-based anonymisation of the same people (the annual-size figure's, when it ran).

const DAY = 86_400_000;

function monthDay(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, month: "numeric", day: "numeric" }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { month: get("month"), day: get("day") };
}

async function pending(db: Db) {
  const [r] = rows<{ n: number }>(await db.execute(sql`
    select count(*)::int as n from privacy_tasks where status in ('queued', 'running')`));
  return Number(r.n);
}

export async function run(ctx: BenchContext) {
  const run = await ctx.withCopy("cycle", async (db) => {
    const settings = await getPrivacySettings(db);
    const now = new Date();
    let noticeAt = new Date(now.getTime() - 35 * DAY);
    if (monthDay(noticeAt, settings.timeZone).month === 2 && monthDay(noticeAt, settings.timeZone).day === 29) noticeAt = new Date(noticeAt.getTime() - DAY);
    const notice = monthDay(noticeAt, settings.timeZone);
    const runDay = monthDay(now, settings.timeZone);
    await db.execute(sql`delete from annual_cycle_steps`);
    await db.execute(sql`
      update privacy_settings set anonymisation_enabled = true, cycle_enabled = true,
        cycle_notice_month = ${notice.month}, cycle_notice_day = ${notice.day},
        cycle_first_reminder_days = 14, cycle_second_reminder_days = 7, cycle_min_notice_days = 28,
        cycle_run_month = ${runDay.month}, cycle_run_day = ${runDay.day}`);
    for (const at of [noticeAt, new Date(noticeAt.getTime() + 14 * DAY), new Date(noticeAt.getTime() + 21 * DAY)]) {
      await runCron(db, { now: at, workerId: "bench-cycle" });
    }
    const [steps] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from annual_cycle_steps`));
    if (Number(steps.n) < 3) throw new Error(`the notice and reminders did not go out (${steps.n} cycle steps recorded)`);

    const eligible = await listEligiblePersonIds(db, { settings: await getPrivacySettings(db), now: new Date() });
    let calls = 0;
    const cron = await timeOnce(async () => {
      do {
        const result = await runCron(db, { workerId: "bench-cycle" });
        if (!result.ok) throw new Error("a cron step failed (see the log above)");
        calls++;
      } while ((await pending(db)) > 0 && calls < 500);
    });
    const [done] = rows<{ tasks: number; people: number; clean: number }>(await db.execute(sql`
      select count(*)::int as tasks, count(*) filter (where (counts->>'person')::int = 1)::int as people,
        count(*) filter (where (verification->>'found')::int = 0)::int as clean
      from privacy_tasks where origin = 'annual_cycle' and status = 'completed'`));
    const note = `${calls} cron calls; ${Number(done.tasks).toLocaleString("en")} tasks completed, ${Number(done.people).toLocaleString("en")} people anonymised, ${Number(done.clean).toLocaleString("en")} verified clean (of ${eligible.length.toLocaleString("en")} eligible)`;
    return { ms: cron.ms, eligible, note, lowerBound: false };
  }).catch((error) => {
    if (!(error instanceof TimeLimitError)) throw error;
    return { ms: error.limitMs, eligible: null, note: error.message, lowerBound: true };
  });
  const eligible = run.eligible ?? (await listEligiblePersonIds(ctx.db(), { settings: await getPrivacySettings(ctx.db()), now: new Date() }));
  const base = ctx.shared.get(`anonymise-by-hand:${eligible.length}`) ?? (await ctx.withCopy("cycle_sql", async (copy) =>
    (await timeOnce(() => anonymiseChunksByHand(copy, eligible, new Date()))).ms));
  ctx.record({
    name: "annual cycle: cron calls on the run date",
    ms: run.ms,
    lowerBound: run.lowerBound,
    baselineMs: base,
    target: "≤ 1.5× hand-written SQL",
    targetRatio: 1.5,
    baseline: "hand-written set-based anonymisation of the same people, 5,000 per transaction",
    note: run.note,
  });
}
