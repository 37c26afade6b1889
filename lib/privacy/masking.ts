// Masking and generalising personal values. Used for the masked label a privacy task
// keeps of its subject (taken before the work, SPEC §4) and for the "mask" and
// "generalise" field policies of anonymisation. Pure functions, no database.

/** "Kirsten" → "K*****n": first and last character kept, the rest starred. */
export function maskWord(word: string): string {
  const chars = Array.from(word);
  if (chars.length === 0) return "";
  if (chars.length === 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** "Alma Kirsten" → "A**a K*****n". Each word of each name is masked on its own. */
export function maskedLabel(firstName: string | null | undefined, lastName: string | null | undefined): string {
  const words = `${firstName ?? ""} ${lastName ?? ""}`.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "(no name)";
  return words.map(maskWord).join(" ");
}

/** "+49 30 5550 1234" → "+49 *** **34": country code and the last two digits. */
export function maskPhone(phone: string | null | undefined): string {
  const value = (phone ?? "").trim();
  const digits = value.replace(/\D/g, "");
  if (digits.length < 4) return value ? "***" : "";
  const country = countryCode(value);
  return `${country ? `${country} ` : ""}*** **${digits.slice(-2)}`;
}

/** The international prefix of a phone number written with one ("+49 …" → "+49"), else "". */
export function countryCode(phone: string): string {
  const match = /^\s*(\+\d{1,3})(?=[\s\-/(.]|$)/.exec(phone);
  return match ? match[1] : "";
}

/** Free text masked word by word: "Hauptstr. 5, Berlin" → "H******. *, B****n". */
export function maskText(text: string | null | undefined): string {
  const value = (text ?? "").trim();
  if (!value) return "";
  return value.replace(/[\p{L}\p{N}]+/gu, (word) => maskWord(word));
}

/**
 * Date of birth generalised to its year. The column is a date, so the year is stored
 * as 1 January of that year ("1990-05-17" → "1990-01-01"); reports by age group keep
 * working while the day that identifies the person is gone.
 */
export function generaliseDate(value: string | null | undefined): string | null {
  const match = /^(\d{4})-\d{2}-\d{2}/.exec(value ?? "");
  return match ? `${match[1]}-01-01` : null;
}

/** A postal address generalised to its town: "Hauptstr. 5, 04109 Leipzig" → "Leipzig". */
export function generaliseAddress(value: string | null | undefined): string | null {
  const lines = (value ?? "").split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  if (!lines.length) return null;
  const town = lines[lines.length - 1].replace(/\d+/g, "").replace(/\s+/g, " ").trim();
  return town || null;
}

/** A phone number generalised to its country code ("+49 30 …" → "+49"), or nothing. */
export function generalisePhone(value: string | null | undefined): string | null {
  return countryCode(value ?? "") || null;
}

/**
 * A custom field generalised: a date keeps its year, a number its order of magnitude
 * (rounded down to one significant digit), anything else is removed.
 */
export function generaliseCustomValue(value: string | null | undefined): string | null {
  const text = (value ?? "").trim();
  if (!text) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return text.slice(0, 4);
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const n = Math.abs(Number(text));
    if (n < 10) return text.startsWith("-") ? String(-Math.floor(n)) : String(Math.floor(n));
    const magnitude = 10 ** Math.floor(Math.log10(n));
    const rounded = Math.floor(n / magnitude) * magnitude;
    return text.startsWith("-") ? String(-rounded) : String(rounded);
  }
  return null;
}
