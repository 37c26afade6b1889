import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { registerEntries } from "@/db/schema";
import type { Locale } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translate";
import { REGISTER_FIELDS, REGISTER_RECORD_TYPES } from "@/lib/register/schema";

/**
 * The demo music school's register of processing, in the organisation's language. The
 * migration installs neutral English entries; the seed replaces those nobody has edited
 * (no account recorded as their author), so an administrator's own wording stays, and
 * writes them again after a --force reseed has emptied the table.
 */
export async function writeRegisterEntries(tx: DbOrTx, language: Locale) {
  const t = translatorFor(language);
  const values = REGISTER_RECORD_TYPES.map((recordType) => ({
    recordType,
    ...Object.fromEntries(REGISTER_FIELDS.map((f) => [f, t(`register.seed.${recordType}.${f}`)])),
  })) as (typeof registerEntries.$inferInsert)[];
  await tx
    .insert(registerEntries)
    .values(values)
    .onConflictDoUpdate({
      target: registerEntries.recordType,
      set: Object.fromEntries(REGISTER_FIELDS.map((f) => [f, sql.raw(`excluded.${f === "legalBasis" ? "legal_basis" : f}`)])),
      setWhere: sql`${registerEntries.updatedByAccountId} is null`,
    });
}
