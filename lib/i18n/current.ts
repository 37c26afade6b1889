import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getDb } from "@/db/client";
import { currentActor } from "@/lib/auth/session";
import { getOrganisationLanguage } from "./organisation";
import { type Locale, negotiateLocale } from "./locales";

/**
 * The language and time zone of this request. A signed-in account reads in the language
 * it chose, or the organisation's; without a session (the sign-in page) the browser's
 * Accept-Language decides, and the organisation's language when the browser asks for
 * none Lethe speaks. Dates are always in the organisation's time zone.
 */
export const currentLanguage = cache(async (): Promise<{ locale: Locale; timeZone: string }> => {
  const actor = await currentActor();
  if (actor) return { locale: actor.locale, timeZone: actor.timeZone };
  const organisation = await getOrganisationLanguage(getDb());
  const accept = (await headers()).get("accept-language");
  return { locale: negotiateLocale(accept, organisation.language), timeZone: organisation.timeZone };
});
