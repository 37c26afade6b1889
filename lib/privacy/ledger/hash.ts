import { createHmac } from "node:crypto";
import { env } from "@/lib/env";
import { PHONE_FORM_PREFIX, phoneForms } from "@/lib/privacy/erasure/written-forms";

// The keyed hashes of the erasure ledger (SPEC §10): HMAC-SHA-256 with PSEUDONYM_KEY
// over each normalised identifier — e-mail addresses and external ids trimmed and
// lower-cased, phone numbers as each of their digit forms ("tel:" + digits, the forms
// of written-forms.ts, E.164 among them). Without the key a hash cannot be computed
// from a guessed value, so the ledger holds nothing that identifies anyone by itself;
// with it, a value found again after a restore is recognised.

/** The text whose HMAC identifies the key (the first 16 hex characters), written into every row and export. */
const FINGERPRINT_INPUT = "lethe-ledger";

export function ledgerKey(): string | null {
  return env().PSEUDONYM_KEY ?? null;
}

export function keyFingerprint(key: string): string {
  return createHmac("sha256", key).update(FINGERPRINT_INPUT).digest("hex").slice(0, 16);
}

/** One identifier as the ledger compares it: a verification value ("tel:…" or literal), trimmed and lower-cased. */
export function normaliseIdentifier(value: string): string {
  return value.trim().toLowerCase();
}

export function hashIdentifier(key: string, value: string): string {
  return createHmac("sha256", key).update(normaliseIdentifier(value)).digest("hex");
}

/** The hashes of a subject's verification values (identifiers.ts verificationValues), sorted, without duplicates. */
export function hashIdentifiers(key: string, values: string[]): string[] {
  return [...new Set(values.map((v) => hashIdentifier(key, v)))].sort();
}

/** The values a restored profile holds today, in the ledger's normalised forms. */
export function currentIdentifierValues(
  p: { email: string | null; phone: string | null; externalId: string | null; accountEmails: string[] }, country: string,
): string[] {
  const out: string[] = [];
  for (const e of [p.email, ...p.accountEmails]) if (e && e.trim()) out.push(e);
  if (p.externalId && p.externalId.trim()) out.push(p.externalId);
  for (const form of phoneForms(p.phone, country)) out.push(PHONE_FORM_PREFIX + form);
  return out.map(normaliseIdentifier);
}
