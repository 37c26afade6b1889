import { createHmac } from "node:crypto";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { personFieldLabel } from "@/lib/people/fields";
import { toE164 } from "@/lib/privacy/erasure/written-forms";

// The "pseudonymise" field policy (SPEC §10): a value becomes `pseu_` and the first 16
// hex characters of HMAC-SHA-256(PSEUDONYM_KEY, normalised value). The same value gives
// the same pseudonym in every record and every run, so reports can still count distinct
// former people; without the key it cannot be reversed or recomputed from a guess.
// Computed here, in Node, for a whole batch (PGlite has no pgcrypto for hmac), and
// handed to the batch's one update as part of its jsonb values — no per-row queries.

export const PSEUDONYM_PREFIX = "pseu_";
export const PSEUDONYM_PATTERN = /^pseu_[0-9a-f]{16}$/;

/**
 * What makes two written values the same before hashing: an e-mail address lower-cased
 * and trimmed; a phone number as E.164 (read with the organisation's default country,
 * its digits if it does not parse); any other text trimmed, lower-cased and in NFC.
 */
export function normaliseForPseudonym(field: string, value: string, phoneCountry?: string | null): string {
  const text = value.normalize("NFC").trim();
  if (field === "phone") return toE164(text, phoneCountry ?? undefined) ?? text.replace(/\D/g, "");
  return text.toLowerCase();
}

/** The pseudonym of a value under a key (at least 32 characters, never empty). */
export function pseudonymOf(key: string, field: string, value: string, phoneCountry?: string | null): string {
  if (key.trim().length < 32) throw new Error("A pseudonym needs PSEUDONYM_KEY (at least 32 characters).");
  const digest = createHmac("sha256", key).update(normaliseForPseudonym(field, value, phoneCountry), "utf8").digest("hex");
  return PSEUDONYM_PREFIX + digest.slice(0, 16);
}

/** The configured key, or null when the deployment has none. */
export function pseudonymKey(): string | null {
  return env().PSEUDONYM_KEY ?? null;
}

/**
 * The key for an anonymisation under these policies: null if no field is pseudonymised.
 * A stored "pseudonymise" policy whose key was removed since stops the anonymisation
 * before it changes anything, naming the field: it neither writes a pseudonym with an
 * empty key nor silently blanks what the organisation chose to keep countable.
 */
export function requirePseudonymKey(fieldPolicies: Record<string, string> | null | undefined): string | null {
  const fields = Object.entries(fieldPolicies ?? {}).filter(([, p]) => p === "pseudonymise").map(([f]) => f);
  if (!fields.length) return null;
  const key = pseudonymKey();
  if (key) return key;
  throw new DomainError(
    "invalid_input",
    `${fieldLabel(fields[0])} is to be pseudonymised, but PSEUDONYM_KEY is not set. Set the key again (the same one, or pseudonyms will differ) or choose another policy in the privacy settings.`,
  );
}

function fieldLabel(field: string): string {
  return field.startsWith("custom.") ? field.slice("custom.".length) : personFieldLabel(field);
}
