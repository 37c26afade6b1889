import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";

// How an identifier is written in text, and how to find it there: the digit forms of a
// phone number (in TypeScript and, as regular expressions, in PostgreSQL) and the
// literal form of an address or id. The identifier set (identifiers.ts) decides WHAT
// is searched for; this decides how each value is matched wherever it is written.

/** Fewer digits than this is not a phone number (and would match dates and amounts). */
export const MIN_PHONE_DIGITS = 7;
/** E.164 allows 15 digits; "00" + country code + trunk "0" + number stays within 18. */
const MAX_PHONE_DIGITS = 18;
/** A written number rarely has more groups than "+49 (0) 30 5550 12 34". */
const MAX_PHONE_GROUPS = 8;

/** A verification value that stands for a phone number's digit form, not literal text. */
export const PHONE_FORM_PREFIX = "tel:";

export const DEFAULT_PHONE_COUNTRY = "DE";

export function isPhoneCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

/**
 * The digit sequences a phone number is written as: international with and without
 * the "00" prefix, national with its trunk prefix, "+49 (0)30" style, and the bare
 * national significant number. Normalised through E.164 with the organisation's
 * default country, so "030 5550 1234" and "+49 30 5550 1234" give the same set.
 * A value that does not parse as a number is kept as its digits.
 */
export function phoneForms(raw: string | null | undefined, country: string = DEFAULT_PHONE_COUNTRY): string[] {
  const text = (raw ?? "").trim();
  const digits = text.replace(/\D/g, "");
  if (digits.length < MIN_PHONE_DIGITS) return [];
  const forms = new Set<string>([digits]);
  const parsed = parsePhoneNumberFromString(text, isPhoneCountry(country) ? (country as CountryCode) : DEFAULT_PHONE_COUNTRY);
  if (parsed) {
    const cc = String(parsed.countryCallingCode);
    const nsn = String(parsed.nationalNumber);
    const national = parsed.format("NATIONAL").replace(/\D/g, "");
    // The national form with the trunk prefix "0" is listed even when the library does not
    // format it so (it drops the prefix for numbers of an unusual length): people write
    // "0151/7524-926" whatever the numbering plan says.
    for (const f of [cc + nsn, `00${cc}${nsn}`, nsn, national, cc + national, `00${cc}${national}`, `0${nsn}`]) forms.add(f);
  }
  return [...forms].filter((f) => f.length >= MIN_PHONE_DIGITS && f.length <= MAX_PHONE_DIGITS);
}

/** E.164 form of a phone value, or null when it does not parse. */
export function toE164(raw: string | null | undefined, country: string = DEFAULT_PHONE_COUNTRY): string | null {
  const parsed = parsePhoneNumberFromString((raw ?? "").trim(), isPhoneCountry(country) ? (country as CountryCode) : DEFAULT_PHONE_COUNTRY);
  return parsed ? parsed.number : null;
}

/**
 * The digit sequences a text may be writing a phone number as — the same as the SQL
 * function lethe_mentioned_phones (migration 0004), which the helpdesk's index is built
 * on. A run of digits and separators is split into its digit groups, and every run of
 * consecutive whole groups is a candidate. Whole groups, because a number is never
 * glued to other digits; every run of groups, because the text around a number often
 * continues with separators and more digits ("+49 30 5550 1234. 2 lessons missed",
 * "030 5550 1234 - 2 days"), which a single span would swallow into a different number.
 */
export function phoneCandidates(text: string): Set<string> {
  const out = new Set<string>();
  forEachPhoneCandidate(text, (d) => out.add(d));
  return out;
}

/** phoneCandidates without collecting them (verification calls it for every row). */
export function forEachPhoneCandidate(text: string, visit: (digits: string) => void) {
  const span = /[0-9][0-9 ()/.+-]*[0-9]/g;
  for (let m = span.exec(text); m; m = span.exec(text)) {
    if (m[0].length < MIN_PHONE_DIGITS) continue;
    const groups = m[0].split(/[^0-9]+/);
    for (let i = 0; i < groups.length; i++) {
      let d = "";
      for (let j = i; j < groups.length && j < i + MAX_PHONE_GROUPS; j++) {
        d += groups[j];
        if (d.length > MAX_PHONE_DIGITS) break;
        if (d.length >= MIN_PHONE_DIGITS) visit(d);
      }
    }
  }
}

/**
 * A PostgreSQL regular expression matching any written form of the given digit forms:
 * up to three separators (space, / . - parentheses) between digits, an optional "+" or
 * "(" in front, and no digit on either side. A "." or other separator followed by a
 * digit that is not part of the number cannot be taken in: the match must end on the
 * number's last digit.
 */
export function phoneRegex(forms: readonly string[]): string {
  const sep = "[ ()/.-]{0,3}";
  const alts = [...forms].sort((a, b) => b.length - a.length).map((f) => f.split("").join(sep));
  return `(?<![0-9])[+(]?(?:${alts.join("|")})(?![0-9])`;
}

/** A PostgreSQL regular expression matching the literal text (used case-insensitively). */
export function literalRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}-]/g, "\\$&");
}

/** What makes two written phone numbers the same: E.164 where the value parses, else its digits. */
export function phoneIdentity(raw: string, country: string = DEFAULT_PHONE_COUNTRY): string {
  return toE164(raw, country) ?? raw.replace(/\D/g, "");
}
