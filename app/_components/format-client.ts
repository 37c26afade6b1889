"use client";

import { useLocale, useTimeZone } from "next-intl";
import { formatsFor } from "@/lib/i18n/format";

/** Dates and numbers for a client component: the same as getFormats() on the server. */
export function useFormats() {
  const locale = useLocale();
  const timeZone = useTimeZone() ?? "Europe/Berlin";
  return formatsFor({ locale, timeZone });
}
