import { formatsFor } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translate";
import type { LocalDate } from "@/lib/schedule/clock";

// E-mails are rendered by the cron and the worker, outside next-intl's request, so each
// template is handed its reader's language and the organisation's time zone and takes its
// words and its dates and numbers from here.
//
// English e-mails keep the forms they have always been written in — the day spelled out
// ("1 November 2026") and counts without grouping (1240) — rather than the ISO forms of
// the English tables: recipients and their mail filters know them. German e-mails use
// Lethe's German forms ("1. November 2026", 1.240).

export type EmailLanguage = { locale: Locale; timeZone: string };

export function emailWords({ locale, timeZone }: EmailLanguage) {
  const f = formatsFor({ locale, timeZone });
  return {
    locale,
    t: translatorFor(locale),
    /** A calendar day in a sentence. */
    day: (date: LocalDate) => f.longDay(date),
    /** An instant with its weekday, in the organisation's time zone: "Monday, 2 November 2026 at 03:00". */
    moment: (at: Date) =>
      new Intl.DateTimeFormat(locale === "de" ? "de-DE" : "en-GB", { timeZone, dateStyle: "full", timeStyle: "short" }).format(at),
    count: (n: number) => (locale === "en" ? String(n) : f.number(n)),
  };
}

export type EmailWords = ReturnType<typeof emailWords>;
