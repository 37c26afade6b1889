import { sql } from "drizzle-orm";
import type { ReactElement } from "react";
import type { DbOrTx } from "@/db/client";
import { accounts } from "@/db/schema";
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/locales";
import { enqueueEmail, renderEmail } from "./outbox";

// An e-mail to staff accounts is written in each recipient's language: the one the
// account chose, else the organisation's (privacy_settings.language).

/** The recipient's language as a column, so that the query finding the recipients reads it with them. */
export const accountLocaleSql = sql<Locale>`coalesce(${accounts.locale}, (select language from privacy_settings where id = 1), ${DEFAULT_LOCALE})`;

/** An account an e-mail goes to, with the language it is written in. */
export type Recipient = { accountId: number; email: string; locale: Locale };

type LocalisedEmail = {
  template: string;
  idempotencyKey: (recipient: Recipient) => string;
  /** The e-mail and its subject in one language. */
  compose: (locale: Locale) => { element: ReactElement; subject: string };
};

/** Renders the e-mail once per language among the recipients and queues it for each, in theirs. */
export async function enqueueInRecipientLanguages(tx: DbOrTx, recipients: Recipient[], email: LocalisedEmail) {
  const byLocale = new Map<Locale, Recipient[]>();
  for (const r of recipients) byLocale.set(r.locale, [...(byLocale.get(r.locale) ?? []), r]);
  for (const [locale, group] of byLocale) {
    const { element, subject } = email.compose(locale);
    const { html, text } = await renderEmail(element);
    for (const r of group) {
      await enqueueEmail(tx, {
        idempotencyKey: email.idempotencyKey(r), template: email.template, to: r.email, recipientAccountId: r.accountId, subject, html, text,
      });
    }
  }
}
