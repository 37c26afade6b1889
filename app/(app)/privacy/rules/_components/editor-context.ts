import "server-only";
import { asc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisations } from "@/db/schema";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { organisationTimeZone } from "@/lib/schedule/clock";

/** What the rule editor offers: the organisations to choose from and the schedule's time zone. */
export async function loadEditorContext(db: Db) {
  const [orgs, settings] = await Promise.all([
    db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name), asc(organisations.id)).limit(1000),
    getPrivacySettings(db),
  ]);
  return { organisations: orgs, timeZone: organisationTimeZone(settings), settings };
}
