import type { ReactElement } from "react";
import type { DbOrTx } from "@/db/client";
import type { Locale } from "@/lib/i18n/locales";
import { enqueueEmail, renderEmail } from "./outbox";

// An e-mail to staff accounts is written in each recipient's language: the one the
// account chose, else the organisation's (privacy_settings.language), read with the
// recipients through accountLocaleSql (lib/auth/actor.ts).

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
