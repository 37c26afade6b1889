import type { Locale } from "./locales";

// How Lethe writes dates and numbers: always in the organisation's time zone, in the
// reader's language. English tables keep the ISO forms Lethe has always shown (2026-11-01,
// 2026-11-01 09:30), which read the same to every English-speaking organisation, and a day
// in a sentence is spelled out (1 November 2026); German writes 01.11.2026,
// "1. November 2026" and 100.010.

export type Language = { locale: Locale; timeZone: string };
type Value = Date | string | null | undefined;

const NONE = "—";

function toDate(value: Value): Date | null {
  if (!value) return null;
  // A calendar day ("2026-11-01") is a day, not an instant: it is not shifted by the time zone.
  const d = typeof value === "string" ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

function zoneOf(value: Value, timeZone: string) {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? "UTC" : timeZone;
}

// One formatter per time zone (and language), made once: building an Intl.DateTimeFormat
// costs about as much as formatting with it a hundred times, and a list page formats a
// date in every row.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let found = formatters.get(key) as F | undefined;
  if (!found) {
    found = make();
    formatters.set(key, found);
  }
  return found;
}

function parts(d: Date, timeZone: string) {
  const map: Record<string, string> = {};
  const format = cached(`parts:${timeZone}`, () => new Intl.DateTimeFormat("en-GB", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }));
  for (const p of format.formatToParts(d)) map[p.type] = p.value;
  return map;
}

/** A day in a table: 2026-11-01 / 01.11.2026. */
export function formatDay(value: Value, { locale, timeZone }: Language): string {
  const d = toDate(value);
  if (!d) return NONE;
  const p = parts(d, zoneOf(value, timeZone));
  return locale === "de" ? `${p.day}.${p.month}.${p.year}` : `${p.year}-${p.month}-${p.day}`;
}

/** A day in a sentence (e-mails, the annual cycle): 1 November 2026 / 1. November 2026. */
export function formatLongDay(value: Value, { locale, timeZone }: Language): string {
  const d = toDate(value);
  if (!d) return NONE;
  const zone = zoneOf(value, timeZone);
  return cached(`long:${locale}:${zone}`, () => new Intl.DateTimeFormat(locale === "de" ? "de-DE" : "en-GB", { timeZone: zone, dateStyle: "long" })).format(d);
}

/** An instant to the minute: 2026-11-01 09:30 / 01.11.2026, 09:30. */
export function formatDateTime(value: Value, { locale, timeZone }: Language): string {
  const d = toDate(value);
  if (!d) return NONE;
  const p = parts(d, timeZone);
  return locale === "de" ? `${p.day}.${p.month}.${p.year}, ${p.hour}:${p.minute}` : `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** A count: 100,010 / 100.010. */
export function formatNumber(value: number, { locale }: Pick<Language, "locale">): string {
  return cached(`number:${locale}`, () => new Intl.NumberFormat(locale === "de" ? "de-DE" : "en-GB")).format(value);
}

/** The functions above bound to one reader. */
export function formatsFor(language: Language) {
  return {
    day: (value: Value) => formatDay(value, language),
    longDay: (value: Value) => formatLongDay(value, language),
    dateTime: (value: Value) => formatDateTime(value, language),
    number: (value: number) => formatNumber(value, language),
  };
}
export type Formats = ReturnType<typeof formatsFor>;
