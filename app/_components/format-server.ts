import "server-only";
import { formatsFor } from "@/lib/i18n/format";
import { currentLanguage } from "@/lib/i18n/current";

/** Dates and numbers for a server component, in the reader's language and the organisation's time zone. */
export async function getFormats() {
  return formatsFor(await currentLanguage());
}
