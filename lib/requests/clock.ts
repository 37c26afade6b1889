import { addDays, daysBetween, daysInMonth, formatDate, type LocalDate, localDate, parseDate } from "@/lib/schedule/clock";

// The statutory clock of a data-subject request (GDPR Art. 12(3), SPEC §11), in the
// organisation's calendar. Like lib/schedule/clock.ts, nothing here reads the system
// clock: the instant is always passed in.
//
// - A request is due one month after the calendar day it was received on, in the
//   organisation's time zone: the same day next month, clamped to that month's last
//   day (received 31 January → due 28 or 29 February). A request received at 23:30 in
//   Berlin is received on that Berlin day, whatever the UTC date.
// - The one extension allowed adds one or two months to the one, counted the same way
//   from the received day (received 31 January, extended by two → due 30 April), so an
//   extension never loses a day to an intermediate short month.
// - Days on which the clock stood still (identity unconfirmed, when the setting pauses
//   it) are added at the end, in whole calendar days. A pause still running counts up
//   to today.

export const STATUTORY_MONTHS = 1;
export const MAX_EXTENSION_MONTHS = 2;

/** The same day `months` months later, clamped to that month's last day. */
export function addMonthsClamped(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = parseDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export type ClockInput = {
  receivedAt: Date;
  timeZone: string;
  extensionMonths?: number;
  /** Whole days of closed pauses. */
  pausedDays?: number;
};

/** The day a request received at `receivedAt` is due, before any pause still running. */
export function requestDueDate({ receivedAt, timeZone, extensionMonths = 0, pausedDays = 0 }: ClockInput): LocalDate {
  const received = localDate(receivedAt, timeZone);
  return addDays(addMonthsClamped(received, STATUTORY_MONTHS + extensionMonths), pausedDays);
}

/** Whole calendar days a pause that began at `pausedSince` has lasted by `now` (0 on its first day). */
export function pausedDaysBetween(pausedSince: Date, now: Date, timeZone: string): number {
  return Math.max(0, daysBetween(localDate(pausedSince, timeZone), localDate(now, timeZone)));
}

export type ClockState = { dueAt: LocalDate; pausedSince: Date | null; pausedDays: number };

/** The due date as of `now`: the stored one, moved on by a pause that is still running. */
export function effectiveDueAt(request: ClockState, now: Date, timeZone: string): LocalDate {
  return request.pausedSince ? addDays(request.dueAt, pausedDaysBetween(request.pausedSince, now, timeZone)) : request.dueAt;
}

/** Days from today (in the organisation's calendar) to the due date: 0 on the day, negative when overdue. */
export function daysLeft(request: ClockState, now: Date, timeZone: string): number {
  return daysBetween(localDate(now, timeZone), effectiveDueAt(request, now, timeZone));
}

/** All paused days so far: the closed pauses and the one still running. */
export function totalPausedDays(request: Pick<ClockState, "pausedSince" | "pausedDays">, now: Date, timeZone: string): number {
  return request.pausedDays + (request.pausedSince ? pausedDaysBetween(request.pausedSince, now, timeZone) : 0);
}
