import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { privacySettings } from "@/db/schema";
import { DEFAULT_LOCALE, type Locale } from "./locales";

/** The organisation's language and time zone: for data subjects and the sign-in page. */
export async function getOrganisationLanguage(db: DbOrTx): Promise<{ language: Locale; timeZone: string }> {
  const [row] = await db
    .select({ language: privacySettings.language, timeZone: privacySettings.timeZone })
    .from(privacySettings)
    .where(eq(privacySettings.id, 1));
  return row ?? { language: DEFAULT_LOCALE, timeZone: "Europe/Berlin" };
}
