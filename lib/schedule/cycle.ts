import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { annualCycleSteps } from "@/db/schema";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { formatLongDate, type LocalDate, localDate, organisationTimeZone, parseDate } from "./clock";
import {
  CYCLE_STEP_LABELS, CYCLE_STEPS, type CycleStep, currentCycleYear, type DoneStep, dueStep, planCycle, validateCycleSettings,
} from "./cycle-plan";
import { CYCLE_DISABLED_MESSAGE, doCycleStep, type StepOutcome } from "./cycle-steps";

// The annual cycle (SPEC §6): notice → first reminder → second reminder → run, once per
// cycle year, in the organisation's time zone. `runDueCycleSteps` is the cron step; the
// calendar it follows is worked out in cycle-plan.ts, each step is done in cycle-steps.ts.
//
// Decisions, in one place:
// - The cycle year is the year of the run date. A notice month/day later in the year
//   than the run's means the notice falls in the previous calendar year (notice
//   15 December, run 15 January). A run more than MAX_CYCLE_SPAN_DAYS after the notice
//   is taken as "a run date before the notice date" and refused by validation, so two
//   cycles never overlap.
// - Reminders follow the notice that was actually sent: first = max(scheduled date,
//   notice day + N), second = max(scheduled, first reminder day + M). A reminder that
//   would come on or after the run is skipped (recorded as skipped, not sent).
// - The run happens on max(run date, notice day + minimum notice days): a late notice
//   postpones it, and the timeline says so. No run without a notice.
// - A notice needs at least one recipient (an active account holding
//   R_CAN_ANONYMIZE_USERS); without one it is held and retried at every call.
// - Every step is held while anonymisation is disabled in the settings: a notice would
//   announce a run that cannot happen, and the run's tasks would only wait in the
//   queue. Once it is enabled the steps catch up (a late notice postpones the run).
// - Catching up: every step of the current cycle (the one whose run date is the first
//   on or after today) runs at the first call on or after its date. The previous
//   cycle is finished when its notice went out but its run has not happened (cron was
//   down over the run date, or the run was postponed past it), as long as the next
//   cycle's notice date has not come. A previous cycle whose notice never went out is
//   started late only within CATCH_UP_DAYS after its run date (cron was down over the
//   whole notice period); later than that it is considered missed — enabling the cycle
//   in spring must not trigger last autumn's run.
// - Each step is claimed by inserting its annual_cycle_steps row (unique cycle year +
//   step, ON CONFLICT DO NOTHING) in the transaction that does its work: a concurrent
//   call blocks on the unique index until the first commits, then does nothing.

async function loadDone(db: Db, years: number[]) {
  const found = await db.select().from(annualCycleSteps).where(inArray(annualCycleSteps.cycleYear, years));
  const byYear = new Map<number, Map<CycleStep, DoneStep>>(years.map((y) => [y, new Map()]));
  for (const r of found) {
    byYear.get(r.cycleYear)?.set(r.step, { doneAt: r.doneAt, listedCount: r.listedCount, details: r.details, skipped: Boolean(r.details?.skipped) });
  }
  return byYear;
}

export type CycleRunResult = {
  enabled: boolean;
  today: LocalDate;
  done: StepOutcome[];
  held: { cycleYear: number; step: CycleStep; reason: string }[];
};

/** The cron step: does every cycle step that is due and not done, each exactly once. */
export async function runDueCycleSteps(db: Db, options: { now: Date }): Promise<CycleRunResult> {
  const settings = await getPrivacySettings(db);
  const tz = organisationTimeZone(settings);
  const today = localDate(options.now, tz);
  const result: CycleRunResult = { enabled: settings.cycleEnabled, today, done: [], held: [] };
  if (!settings.cycleEnabled) return result;
  const invalid = validateCycleSettings(settings);
  if (Object.keys(invalid).length) {
    result.held.push({ cycleYear: parseDate(today).year, step: "notice", reason: `The cycle settings are not valid: ${Object.values(invalid).flat().join("; ")}` });
    return result;
  }
  const current = currentCycleYear(settings, today);
  let done = await loadDone(db, [current - 1, current]);
  for (const cycleYear of [current - 1, current]) {
    // Re-plan after every step: a step done now moves the dates of the next ones.
    for (let guard = 0; guard < CYCLE_STEPS.length * 2; guard++) {
      const plan = planCycle(settings, cycleYear, done.get(cycleYear)!, today);
      const step = dueStep(plan, today);
      if (!step) break;
      const outcome = await doCycleStep(db, { settings, plan, step: step.step, now: options.now, today });
      if (outcome.held) {
        result.held.push({ cycleYear, step: step.step, reason: outcome.held });
        break;
      }
      if (outcome.claimed) result.done.push(outcome);
      done = await loadDone(db, [current - 1, current]);
    }
  }
  return result;
}

export type CycleTimeline = {
  enabled: boolean;
  timeZone: string;
  today: LocalDate;
  cycleYear: number;
  steps: { step: CycleStep; label: string; date: LocalDate; doneAt: Date | null; skipped: string | null; listedCount: number | null }[];
  next: { step: CycleStep; label: string; date: LocalDate } | null;
  run: { scheduledDate: LocalDate; date: LocalDate; postponed: boolean; reason: string | null; held: string | null };
  lastRun: { cycleYear: number; doneAt: Date; details: Record<string, unknown> } | null;
};

/** This cycle's steps for the dashboard: done (when, how many listed), next, postponement. */
export async function getCycleTimeline(db: Db, options: { now: Date }): Promise<CycleTimeline> {
  const settings = await getPrivacySettings(db);
  const tz = organisationTimeZone(settings);
  const today = localDate(options.now, tz);
  const current = currentCycleYear(settings, today);
  const done = await loadDone(db, [current - 1, current]);
  const previous = planCycle(settings, current - 1, done.get(current - 1)!, today);
  // The cycle the cron step works on is the one to show: a previous cycle that is still
  // open and not run (its run postponed or held, or its notice about to go out late
  // within the catch-up window), otherwise the current one.
  const plan = previous.open && !previous.steps[3].done
    ? previous
    : planCycle(settings, current, done.get(current)!, today);
  const nextStep = plan.steps.find((s) => !s.done) ?? null;
  const notice = plan.steps[0].done;
  const held = !plan.steps[3].done && !settings.anonymisationEnabled ? CYCLE_DISABLED_MESSAGE : null;
  let reason: string | null = null;
  if (plan.postponed) {
    const days = settings.cycleMinNoticeDays;
    const planned = formatLongDate(plan.scheduled.run);
    const runOn = formatLongDate(plan.runDate);
    if (notice && !notice.skipped) {
      const sent = localDate(notice.doneAt, tz);
      reason = sent > plan.scheduled.run
        ? `The notice went out on ${formatLongDate(sent)}, after the planned run date (${planned}); the run comes ${days} days after the notice, on ${runOn}.`
        : `The notice went out on ${formatLongDate(sent)}, less than ${days} days before the planned run date (${planned}); the run is postponed to ${runOn}.`;
    } else {
      reason = `The notice has not gone out yet, so the run planned for ${planned} moves to ${days} days after it: ${runOn} at the earliest.`;
    }
  }
  const lastRun = [...done.entries()].filter(([, m]) => m.get("run") && !m.get("run")!.skipped).sort(([a], [b]) => b - a)[0];
  return {
    enabled: settings.cycleEnabled,
    timeZone: tz,
    today,
    cycleYear: plan.cycleYear,
    steps: plan.steps.map((s) => ({
      step: s.step, label: CYCLE_STEP_LABELS[s.step], date: s.date, doneAt: s.done?.doneAt ?? null,
      skipped: s.done?.skipped ? String(s.done.details.reason ?? "skipped") : null,
      listedCount: s.done && !s.done.skipped && s.step !== "run" ? s.done.listedCount : null,
    })),
    next: settings.cycleEnabled && nextStep ? { step: nextStep.step, label: CYCLE_STEP_LABELS[nextStep.step], date: nextStep.date } : null,
    run: { scheduledDate: plan.scheduled.run, date: plan.runDate, postponed: plan.postponed, reason, held },
    lastRun: lastRun ? { cycleYear: lastRun[0], doneAt: lastRun[1].get("run")!.doneAt, details: lastRun[1].get("run")!.details } : null,
  };
}
