import { formatLongDay } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { translateMessage } from "@/lib/i18n/server-messages";
import { translatorFor } from "@/lib/i18n/translate";
import type { LocalDate } from "./clock";
import type { CycleTimeline } from "./cycle";
import type { CycleStep } from "./cycle-plan";

// The annual-cycle timeline in words, for the overview. Kept beside the cycle so that
// every date a reader sees comes from the same plan the cron step follows: a step's
// row shows the day it happens (or happened), and the planned day only as "planned
// for", never as a second schedule. The words are the catalogue's (privacy.cycle), in
// the reader's language; the cycle's own sentences (why it is held or postponed, why a
// step was skipped) are written in English by the cycle and pass through the one
// translation of the domain's messages.

export type StepState = "done" | "skipped" | "due" | "next" | "later";

export type TimelineStepView = { step: CycleStep; label: string; date: LocalDate; state: StepState; notes: string[] };

export type TimelineView = {
  /** "Cycle 2026", with a word on lateness when its planned run date has passed. */
  heading: string;
  steps: TimelineStepView[];
  held: string | null;
  postponed: string | null;
};

const STEP_KEYS = { notice: "notice", first_reminder: "firstReminder", second_reminder: "secondReminder", run: "run" } as const;

/**
 * A cycle day written out: English keeps the form the cycle has always written
 * ("1 November 2026"), which its own messages share; German "1. November 2026".
 */
/** A step's calendar day, spelled out in the reader's language. */
export function formatCycleDay(date: LocalDate, locale: Locale) {
  return formatLongDay(date, { locale, timeZone: "UTC" });
}

function formatInstant(value: Date, timeZone: string, locale: Locale) {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "de-DE", {
    timeZone, day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(value);
}

export function describeTimeline(t: CycleTimeline, locale: Locale): TimelineView {
  const say = translatorFor(locale);
  const day = (date: LocalDate) => formatCycleDay(date, locale);
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
    if (state === "done" && s.doneAt) {
      const when = formatInstant(s.doneAt, t.timeZone, locale);
      notes.push(s.step === "run" ? say("privacy.cycle.ran", { when }) : say("privacy.cycle.sent", { when }));
    }
    if (s.listedCount != null) notes.push(say("privacy.cycle.listed", { count: s.listedCount }));
    if (s.step === "run" && typeof queued === "number") notes.push(say("privacy.cycle.queued", { count: queued }));
    if (state === "skipped" && s.skipped) notes.push(translateMessage(s.skipped, locale));
    if (s.step === "run" && t.run.postponed) notes.push(say("privacy.cycle.plannedFor", { date: day(t.run.scheduledDate) }));
    if (state === "due") notes.push(t.run.held ? say("privacy.cycle.heldSeeAbove") : say("privacy.cycle.nextCall"));
    return { step: s.step, label: say(`privacy.cycle.steps.${STEP_KEYS[s.step]}`), date: s.date, state, notes };
  });

  const year = String(t.cycleYear);
  const heading = late
    ? say("privacy.cycle.headingLate", { year, date: day(t.run.scheduledDate) })
    : say("privacy.cycle.heading", { year });
  const said = (message: string | null) => (message === null ? null : translateMessage(message, locale));
  return { heading, steps, held: said(t.run.held), postponed: t.run.postponed ? said(t.run.reason) : null };
}

