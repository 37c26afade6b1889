import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { privacySettings } from "@/db/schema";

/** The one thing the data subjects' pages show from the database. */
export async function organisationName() {
  const [row] = await getDb().select({ name: privacySettings.organisationName }).from(privacySettings).where(eq(privacySettings.id, 1));
  return row?.name ?? "Lethe";
}
