import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { MIN_PHONE_DIGITS, phoneForms } from "@/lib/privacy/erasure/written-forms";
import { withoutSubjectIdentifiers } from "@/lib/privacy/prevention/prevention";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";

// What staff typed when deleting tickets (a reference, a reason to override a hold) as the
// audit log keeps it: the names, addresses, numbers and external ids of the tickets'
// customers masked, since the log outlives them (as a deletion task masks its subject's:
// create-deletion-task.ts). A selection may hold 5,000 customers, and masking one costs
// milliseconds (its regular expressions are built for it, a phone number's in every written
// form), so only the customers something of whom can be in the text are masked: an
// identifier found in it as it stands (case-insensitively, wherever it is — a superset of
// what the masking matches), or one of the phone number's digit forms among the numbers
// the text can be writing. The others would leave the text as it is.

type Customer = { first_name: string; last_name: string; email: string | null; phone: string | null; external_id: string | null };

const MAX_PHONE_DIGITS = 18;

/**
 * Every digit sequence a written phone number in `text` can stand for, as the masking's
 * expression matches them (phoneRegex, lib/privacy/erasure/written-forms.ts): whole groups of
 * digits, one after another, joined by at most three of ` ()/.-`.
 */
export function writtenNumbers(text: string) {
  const out = new Set<string>();
  for (const [span] of text.matchAll(/[0-9](?:[ ()/.-]{0,3}[0-9])*/g)) {
    const groups = span.split(/[^0-9]+/);
    for (let i = 0; i < groups.length; i++) {
      let digits = "";
      for (let j = i; j < groups.length && digits.length <= MAX_PHONE_DIGITS; j++) {
        digits += groups[j];
        if (digits.length >= MIN_PHONE_DIGITS && digits.length <= MAX_PHONE_DIGITS) out.add(digits);
      }
    }
  }
  return out;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ASCII = /^[\x00-\x7f]*$/;

type Text = { text: string; lower: string; ascii: boolean; numbers: Set<string> };

/**
 * Whether the word is in the text, as a case-insensitive Unicode expression finds it. Between
 * two ASCII strings that is plain lower-case containment, much cheaper than building an
 * expression per word; otherwise Unicode case folding decides (ſ is an s, K a k).
 */
function contains(t: Text, word: string) {
  if (t.ascii && ASCII.test(word)) return t.lower.includes(word.toLowerCase());
  return new RegExp(escape(word), "iu").test(t.text);
}

function mayBeIn(t: Text, customer: Customer, country: string) {
  const words = [customer.email, customer.external_id, ...`${customer.first_name} ${customer.last_name}`.split(/\s+/)]
    .filter((w): w is string => Boolean(w) && Array.from(w as string).length >= 2);
  // A masked word is stars inside: an identifier holding one could match only after masking.
  if (words.some((w) => w.includes("*") || contains(t, w))) return true;
  return t.numbers.size > 0 && phoneForms(customer.phone, country).some((form) => t.numbers.has(form));
}

/** Masks every customer's identifiers that may be in the text, in id order. */
export function maskCustomers(text: string, customers: Customer[], country: string) {
  const t: Text = { text, lower: text.toLowerCase(), ascii: ASCII.test(text), numbers: writtenNumbers(text) };
  return customers.filter((c) => mayBeIn(t, c, country))
    .reduce((out, c) => withoutSubjectIdentifiers(out, c, country), text);
}

/** The masking for these customers (read once), to apply to each text typed. */
export async function customersMasker(tx: DbOrTx, customerIds: number[]) {
  const ids = [...new Set(customerIds)];
  if (!ids.length) return (text: string | undefined) => text;
  const customers = rows<Customer>(await tx.execute(sql`
    select first_name, last_name, email, phone, external_id from people where id = any(${intArray(ids)}) order by id`));
  const { defaultPhoneCountry } = await getPrivacySettings(tx);
  return (text: string | undefined) => (text ? maskCustomers(text, customers, defaultPhoneCountry) : text);
}
