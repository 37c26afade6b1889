import "server-only";
import type { Db } from "@/db/client";
import { listOrganisations } from "@/lib/people/organisations";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { organisationTimeZone } from "@/lib/schedule/clock";

/** What the rule editor offers: the organisations to choose from and the schedule's time zone. */
export async function loadEditorContext(db: Db) {
  const [orgs, settings] = await Promise.all([
    listOrganisations(db, { limit: 1000 }),
    getPrivacySettings(db),
  ]);
  return { organisations: orgs, timeZone: organisationTimeZone(settings), settings };
}
