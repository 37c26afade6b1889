import { formatLongDay } from "@/lib/i18n/format";
// The one place where Lethe turns instants into the organisation's calendar. Every
// function takes the instant (`now`) as an argument: nothing here reads the system
// clock, so tests drive the calendar by passing dates (no test hooks elsewhere).
//
// Calendar dates are "YYYY-MM-DD" strings (ISO order compares correctly as text) and
// are computed with plain UTC arithmetic, which has no daylight-saving changes; only
// the conversion between an instant and the local wall clock uses the time zone
// (Intl, so no date library is needed).

export type LocalDate = string;

export const DEFAULT_TIME_ZONE = "Europe/Berlin";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The organisation's time zone from its settings, or Lethe's default when that is not a zone. */
export function organisationTimeZone(settings: { timeZone?: string | null }) {
  return settings.timeZone && isValidTimeZone(settings.timeZone) ? settings.timeZone : DEFAULT_TIME_ZONE;
}

export function isValidTimeZone(timeZone: string) {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall-clock reading in `timeZone` at the instant `now`. */
export function localParts(now: Date, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(now)) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** The calendar date in `timeZone` at the instant `now`. */
export function localDate(now: Date, timeZone: string): LocalDate {
  const p = localParts(now, timeZone);
  return formatDate(p.year, p.month, p.day);
}

export function formatDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function parseDate(date: LocalDate) {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a calendar date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function toUtcDays(date: LocalDate) {
  const { year, month, day } = parseDate(date);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

function fromUtcDays(days: number): LocalDate {
  const d = new Date(days * 86_400_000);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Calendar arithmetic: always whole days, whatever daylight saving does to the hours. */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcDays(toUtcDays(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate) {
  return toUtcDays(to) - toUtcDays(from);
}

export function maxDate(a: LocalDate, b: LocalDate) {
  return a >= b ? a : b;
}

/** Day of the week, 0 = Sunday … 6 = Saturday (as `Date.getDay`). */
export function weekday(date: LocalDate) {
  return new Date(toUtcDays(date) * 86_400_000).getUTCDay();
}

export function isLeapYear(year: number) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A month/day setting in a given year; 29 February falls back to the 28th in other years. */
export function dateInYear(year: number, month: number, day: number): LocalDate {
  return formatDate(year, month, Math.min(day, daysInMonth(year, month)));
}

/** Offset of `timeZone` from UTC at the instant `at`, in milliseconds. */
function offsetAt(at: number, timeZone: string) {
  const p = localParts(new Date(at), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` `hour`:00. When that
 * reading does not exist (the hour skipped when clocks go forward) it is the first
 * instant after the gap; when it exists twice (clocks go back) it is the earlier one.
 */
export function zonedTime(date: LocalDate, hour: number, timeZone: string): Date {
  const { year, month, day } = parseDate(date);
  const wall = Date.UTC(year, month - 1, day, hour);
  const candidates = new Set<number>();
  for (const probe of [wall - 86_400_000, wall, wall + 86_400_000]) candidates.add(wall - offsetAt(probe, timeZone));
  const exact = [...candidates].filter((t) => {
    const p = localParts(new Date(t), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === wall;
  });
  if (exact.length) return new Date(Math.min(...exact));
  // In a gap: the wall time shifted by the smaller (pre-transition) offset lands after it.
  return new Date(Math.max(...candidates));
}

/** The first instant of the local calendar day `date` in `timeZone`. */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return zonedTime(date, 0, timeZone);
}

/** Formats a calendar date for people: "1 October 2026". */
export function formatLongDate(date: LocalDate) {
  return formatLongDay(date, { locale: "en", timeZone: "UTC" });
}
