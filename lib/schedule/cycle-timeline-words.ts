import { formatLongDate, type LocalDate } from "./clock";
import type { CycleTimeline } from "./cycle";
import type { CycleStep } from "./cycle-plan";

// The annual-cycle timeline in words, for the overview. Kept beside the cycle so that
// every date a reader sees comes from the same plan the cron step follows: a step's
// row shows the day it happens (or happened), and the planned day only as "planned
// for", never as a second schedule.

export type StepState = "done" | "skipped" | "due" | "next" | "later";

export type TimelineStepView = { step: CycleStep; label: string; date: LocalDate; state: StepState; notes: string[] };

export type TimelineView = {
  /** "Cycle 2026", with a word on lateness when its planned run date has passed. */
  heading: string;
  steps: TimelineStepView[];
  held: string | null;
  postponed: string | null;
};

function formatInstant(value: Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone, day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(value);
}

export function describeTimeline(t: CycleTimeline): TimelineView {
  const runStep = t.steps.find((s) => s.step === "run");
  const ran = Boolean(runStep?.doneAt && !runStep.skipped);
  const queued = t.lastRun?.cycleYear === t.cycleYear ? t.lastRun.details.queued : undefined;
  const late = !ran && t.run.scheduledDate < t.today;

  const steps = t.steps.map((s): TimelineStepView => {
    let state: StepState = "later";
    if (s.skipped) state = "skipped";
    else if (s.doneAt) state = "done";
    else if (t.next?.step === s.step) state = s.date <= t.today ? "due" : "next";

    const notes: string[] = [];
    if (state === "done" && s.doneAt) notes.push(`${s.step === "run" ? "Ran" : "Sent"} ${formatInstant(s.doneAt, t.timeZone)}`);
    if (s.listedCount != null) notes.push(`${s.listedCount.toLocaleString("en")} ${s.listedCount === 1 ? "profile" : "profiles"} listed`);
    if (s.step === "run" && typeof queued === "number") notes.push(`${queued.toLocaleString("en")} anonymisation ${queued === 1 ? "task" : "tasks"} queued`);
    if (state === "skipped" && s.skipped) notes.push(s.skipped);
    if (s.step === "run" && t.run.postponed) notes.push(`Planned for ${formatLongDate(t.run.scheduledDate)}; postponed`);
    if (state === "due") notes.push(t.run.held ? "Held, see above" : "Happens at the next scheduled call");
    return { step: s.step, label: s.label, date: s.date, state, notes };
  });

  const heading = late
    ? `Cycle ${t.cycleYear}, running late: its run was planned for ${formatLongDate(t.run.scheduledDate)}`
    : `Cycle ${t.cycleYear}`;
  return { heading, steps, held: t.run.held, postponed: t.run.postponed ? t.run.reason : null };
}
