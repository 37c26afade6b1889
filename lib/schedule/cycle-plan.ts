import type { PrivacySettings } from "@/db/schema";
import type { FieldErrors } from "@/lib/errors";
// The month names the German translation of these messages reads back.
import { ENGLISH_MONTHS } from "@/lib/i18n/server-messages-table";
import {
  addDays, dateInYear, daysBetween, isValidTimeZone, type LocalDate, localDate, maxDate, organisationTimeZone, parseDate,
} from "./clock";

// The annual cycle's calendar, worked out from the settings and the steps already done,
// without the database: which dates a cycle year has, whether the settings make a
// calendar at all, and which step is due. The decisions behind it are listed in
// cycle.ts, which runs the steps (cycle-steps.ts) on this plan.

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

/** A step as recorded in annual_cycle_steps: when, how many people it listed, and why it was skipped. */
export type DoneStep = { doneAt: Date; listedCount: number; details: Record<string, unknown>; skipped: boolean };

/** The scheduled dates of one cycle year (before any postponement). */
export function cycleDates(settings: CycleSettings, cycleYear: number): CycleDates {
  const run = dateInYear(cycleYear, settings.cycleRunMonth, settings.cycleRunDay);
  const sameYear = dateInYear(cycleYear, settings.cycleNoticeMonth, settings.cycleNoticeDay);
  const notice = sameYear < run ? sameYear : dateInYear(cycleYear - 1, settings.cycleNoticeMonth, settings.cycleNoticeDay);
  const firstReminder = addDays(notice, settings.cycleFirstReminderDays);
  return { notice, firstReminder, secondReminder: addDays(firstReminder, settings.cycleSecondReminderDays), run };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
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
  else if (!isInt(s.cycleNoticeDay, 1, MONTH_DAYS[s.cycleNoticeMonth - 1])) add("cycleNoticeDay", `${ENGLISH_MONTHS[s.cycleNoticeMonth - 1]} has no day ${s.cycleNoticeDay} every year`);
  if (!isInt(s.cycleRunMonth, 1, 12)) add("cycleRunMonth", "Choose a month");
  else if (!isInt(s.cycleRunDay, 1, MONTH_DAYS[s.cycleRunMonth - 1])) add("cycleRunDay", `${ENGLISH_MONTHS[s.cycleRunMonth - 1]} has no day ${s.cycleRunDay} every year`);
  if (!isInt(s.cycleFirstReminderDays, 1, 365)) add("cycleFirstReminderDays", "Between 1 and 365 days after the notice");
  if (!isInt(s.cycleSecondReminderDays, 1, 365)) add("cycleSecondReminderDays", "Between 1 and 365 days after the first reminder");
  if (!isInt(s.cycleMinNoticeDays, 0, 365)) add("cycleMinNoticeDays", "Between 0 and 365 days");
  if (!s.timeZone || !isValidTimeZone(s.timeZone)) add("timeZone", "Not a known IANA time zone (e.g. Europe/Berlin)");
  if (Object.keys(errors).length) return errors;

  // The span differs by a day between leap and other years: check the longer one.
  const span = Math.max(...[2027, 2028].map((y) => { const d = cycleDates(s, y); return daysBetween(d.notice, d.run); }));
  const notice = `${s.cycleNoticeDay} ${ENGLISH_MONTHS[s.cycleNoticeMonth - 1]}`;
  const run = `${s.cycleRunDay} ${ENGLISH_MONTHS[s.cycleRunMonth - 1]}`;
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
  const tz = organisationTimeZone(settings);
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
