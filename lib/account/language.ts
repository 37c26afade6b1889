import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { accounts } from "@/db/schema";
import { type Locale, LOCALES } from "@/lib/i18n/locales";
import { defineOperation } from "@/lib/operation";

export const accountLanguageSchema = z.object({
  // "" is the form's "the organisation's language" option.
  locale: z.preprocess((v) => (v === "" ? null : v), z.enum(LOCALES, { error: "must be English, German or the organisation's language" }).nullable()),
});

/** An account chooses the language of its pages and e-mails; null follows the organisation's. */
export const setAccountLanguage = defineOperation({
  name: "setAccountLanguage",
  permission: "signed-in",
  input: accountLanguageSchema,
  async run({ tx, actor, input }) {
    await tx.update(accounts).set({ locale: input.locale }).where(eq(accounts.id, actor.accountId));
    return { locale: input.locale };
  },
});

/** The language an account chose (null: the organisation's). */
export async function getAccountLanguage(db: DbOrTx, accountId: number): Promise<Locale | null> {
  const [row] = await db.select({ locale: accounts.locale }).from(accounts).where(eq(accounts.id, accountId));
  return row?.locale ?? null;
}
