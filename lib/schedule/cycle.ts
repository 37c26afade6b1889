import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { annualCycleSteps, type PrivacySettings } from "@/db/schema";
import type { FieldErrors } from "@/lib/errors";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import {
  addDays, dateInYear, daysBetween, DEFAULT_TIME_ZONE, formatLongDate, isValidTimeZone, type LocalDate, localDate, maxDate, parseDate,
} from "./clock";
import { CYCLE_DISABLED_MESSAGE, type DoneStep, doCycleStep, type StepOutcome } from "./cycle-steps";

// The annual cycle (SPEC §6): notice → first reminder → second reminder → run, once per
// cycle year, in the organisation's time zone. `runDueCycleSteps` is the cron step.
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

export const CYCLE_STEPS = ["notice", "first_reminder", "second_reminder", "run"] as const;
export type CycleStep = (typeof CYCLE_STEPS)[number];
export const CYCLE_STEP_LABELS: Record<CycleStep, string> = {
  notice: "Notice", first_reminder: "First reminder", second_reminder: "Second reminder", run: "Anonymisation run",
};
export const MAX_CYCLE_SPAN_DAYS = 180;
export const CATCH_UP_DAYS = 30;

export type CycleSettings = Pick<PrivacySettings,
  "cycleEnabled" | "cycleNoticeMonth" | "cycleNoticeDay" | "cycleFirstReminderDays" | "cycleSecondReminderDays" |
  "cycleRunMonth" | "cycleRunDay" | "cycleMinNoticeDays" | "timeZone">;

export type CycleDates = { notice: LocalDate; firstReminder: LocalDate; secondReminder: LocalDate; run: LocalDate };

export function cycleTimeZone(settings: Pick<PrivacySettings, "timeZone">) {
  return settings.timeZone && isValidTimeZone(settings.timeZone) ? settings.timeZone : DEFAULT_TIME_ZONE;
}

/** The scheduled dates of one cycle year (before any postponement). */
export function cycleDates(settings: CycleSettings, cycleYear: number): CycleDates {
  const run = dateInYear(cycleYear, settings.cycleRunMonth, settings.cycleRunDay);
  const sameYear = dateInYear(cycleYear, settings.cycleNoticeMonth, settings.cycleNoticeDay);
  const notice = sameYear < run ? sameYear : dateInYear(cycleYear - 1, settings.cycleNoticeMonth, settings.cycleNoticeDay);
  const firstReminder = addDays(notice, settings.cycleFirstReminderDays);
  return { notice, firstReminder, secondReminder: addDays(firstReminder, settings.cycleSecondReminderDays), run };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * Field errors of the cycle settings (empty when valid), for the settings page. Checks
 * each value, then the calendar: the run after the notice (within MAX_CYCLE_SPAN_DAYS),
 * both reminders before the run, a minimum notice period that fits between them.
 */
export function validateCycleSettings(settings: CycleSettings): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const s = settings;
  if (!isInt(s.cycleNoticeMonth, 1, 12)) add("cycleNoticeMonth", "Choose a month");
  else if (!isInt(s.cycleNoticeDay, 1, MONTH_DAYS[s.cycleNoticeMonth - 1])) add("cycleNoticeDay", `${MONTH_NAMES[s.cycleNoticeMonth - 1]} has no day ${s.cycleNoticeDay} every year`);
  if (!isInt(s.cycleRunMonth, 1, 12)) add("cycleRunMonth", "Choose a month");
  else if (!isInt(s.cycleRunDay, 1, MONTH_DAYS[s.cycleRunMonth - 1])) add("cycleRunDay", `${MONTH_NAMES[s.cycleRunMonth - 1]} has no day ${s.cycleRunDay} every year`);
  if (!isInt(s.cycleFirstReminderDays, 1, 365)) add("cycleFirstReminderDays", "Between 1 and 365 days after the notice");
  if (!isInt(s.cycleSecondReminderDays, 1, 365)) add("cycleSecondReminderDays", "Between 1 and 365 days after the first reminder");
  if (!isInt(s.cycleMinNoticeDays, 0, 365)) add("cycleMinNoticeDays", "Between 0 and 365 days");
  if (!s.timeZone || !isValidTimeZone(s.timeZone)) add("timeZone", "Not a known IANA time zone (e.g. Europe/Berlin)");
  if (Object.keys(errors).length) return errors;

  // The span differs by a day between leap and other years: check the longer one.
  const span = Math.max(...[2027, 2028].map((y) => { const d = cycleDates(s, y); return daysBetween(d.notice, d.run); }));
  const notice = `${s.cycleNoticeDay} ${MONTH_NAMES[s.cycleNoticeMonth - 1]}`;
  const run = `${s.cycleRunDay} ${MONTH_NAMES[s.cycleRunMonth - 1]}`;
  if (span > MAX_CYCLE_SPAN_DAYS) {
    const message = `The run date (${run}) is before the notice date (${notice}): the run must come after the notice, at most ${MAX_CYCLE_SPAN_DAYS} days later`;
    add("cycleRunMonth", message);
    add("cycleRunDay", message);
    return errors;
  }
  if (s.cycleFirstReminderDays >= span) add("cycleFirstReminderDays", `The first reminder must come before the run, which is ${span} days after the notice`);
  else if (s.cycleFirstReminderDays + s.cycleSecondReminderDays >= span) add("cycleSecondReminderDays", `The second reminder must come before the run, which is ${span} days after the notice`);
  if (s.cycleMinNoticeDays > span) add("cycleMinNoticeDays", `The notice period cannot be longer than the ${span} days between notice and run, or every run would be postponed`);
  return errors;
}

/** The year of the first scheduled run on or after `today`. */
export function currentCycleYear(settings: CycleSettings, today: LocalDate) {
  const year = parseDate(today).year;
  return today <= cycleDates(settings, year).run ? year : year + 1;
}

export type StepPlan = { step: CycleStep; date: LocalDate; done: DoneStep | null };
export type CyclePlan = {
  cycleYear: number;
  scheduled: CycleDates;
  steps: StepPlan[];
  /** The day the run happens (or will): the run date, or later when the notice was late. */
  runDate: LocalDate;
  postponed: boolean;
  /** May the notice still be sent / the cycle still be finished on `today`? */
  open: boolean;
};

/** Effective dates of a cycle given what is done; a missing notice is projected to `today`. */
export function planCycle(settings: CycleSettings, cycleYear: number, done: Map<CycleStep, DoneStep>, today: LocalDate): CyclePlan {
  const tz = cycleTimeZone(settings);
  const scheduled = cycleDates(settings, cycleYear);
  const dayOf = (step: CycleStep) => { const d = done.get(step); return d && !d.skipped ? localDate(d.doneAt, tz) : null; };
  const noticeDay = dayOf("notice") ?? maxDate(today, scheduled.notice);
  const first = maxDate(scheduled.firstReminder, addDays(noticeDay, settings.cycleFirstReminderDays));
  const second = maxDate(scheduled.secondReminder, addDays(dayOf("first_reminder") ?? first, settings.cycleSecondReminderDays));
  const runDate = maxDate(scheduled.run, addDays(noticeDay, settings.cycleMinNoticeDays));
  const dates: Record<CycleStep, LocalDate> = { notice: done.get("notice") ? noticeDay : scheduled.notice, first_reminder: first, second_reminder: second, run: runDate };
  const next = cycleDates(settings, cycleYear + 1);
  let open = true;
  if (today > scheduled.run) {
    // The previous cycle: finish it before the next one starts; start it late only briefly.
    open = done.has("notice")
      ? today < next.notice
      : today <= addDays(scheduled.run, CATCH_UP_DAYS) && addDays(today, settings.cycleMinNoticeDays) < next.notice;
  }
  return {
    cycleYear, scheduled, runDate, postponed: runDate > scheduled.run, open,
    steps: CYCLE_STEPS.map((step) => ({ step, date: dates[step], done: done.get(step) ?? null })),
  };
}

/** The first step of the plan that is due on `today` and not done, if any. */
export function dueStep(plan: CyclePlan, today: LocalDate): StepPlan | null {
  if (!plan.open || plan.steps.find((s) => s.step === "run")?.done) return null;
  for (const s of plan.steps) {
    if (s.done) continue;
    if (s.step !== "notice" && !plan.steps[0].done) return null;
    // A reminder that would come on or after the run is not needed; the run records it as skipped.
    if (s.step !== "notice" && s.step !== "run" && s.date >= plan.runDate) continue;
    return s.date <= today ? s : null;
  }
  return null;
}

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
  const tz = cycleTimeZone(settings);
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
  const tz = cycleTimeZone(settings);
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
    const days = `${settings.cycleMinNoticeDays} days`;
    const planned = formatLongDate(plan.scheduled.run);
    const runOn = formatLongDate(plan.runDate);
    if (notice && !notice.skipped) {
      const sent = localDate(notice.doneAt, tz);
      reason = sent > plan.scheduled.run
        ? `The notice went out on ${formatLongDate(sent)}, after the planned run date (${planned}); the run comes ${days} after the notice, on ${runOn}.`
        : `The notice went out on ${formatLongDate(sent)}, less than ${days} before the planned run date (${planned}); the run is postponed to ${runOn}.`;
    } else {
      reason = `The notice has not gone out yet, so the run planned for ${planned} moves to ${days} after it: ${runOn} at the earliest.`;
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
