import { createFormatter, createTranslator } from "next-intl";
import { catalogues } from "./catalogues";
import type { Locale } from "./locales";

// For words written outside a React render — e-mails, exports, the cron's reports — where
// next-intl's request configuration is not there: the recipient's language is passed in.

export function translatorFor(locale: Locale) {
  return createTranslator({ locale, messages: catalogues[locale] });
}

export type Translator = ReturnType<typeof translatorFor>;

/** Dates and numbers as the language writes them, in the organisation's time zone. */
export function formatterFor(locale: Locale, timeZone: string) {
  return createFormatter({ locale, timeZone });
}
