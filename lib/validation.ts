import { z } from "zod";
import type { FieldErrors } from "./errors";

// The shared vocabulary of input checks. Every id, date and free text that reaches the
// database goes through these, so that a value PostgreSQL would refuse (an id beyond the
// 32-bit `integer`, 30 February, a NUL byte) is answered as invalid input naming the field
// instead of surfacing as a server error.

export const MAX_ID = 2_147_483_647;

const ID_MESSAGE = `must be an id: a whole number from 1 to ${MAX_ID}`;

/**
 * A row id. Forms and URLs deliver text, so digit strings are accepted; everything else
 * that `z.coerce` would turn into a number (booleans, arrays, "", null, "1e3") is refused.
 */
export const idSchema = z.preprocess(
  (v) => (typeof v === "string" && /^\d{1,12}$/.test(v) ? Number(v) : v),
  z.number({ error: ID_MESSAGE }).int(ID_MESSAGE).min(1, ID_MESSAGE).max(MAX_ID, ID_MESSAGE),
);

/**
 * A whole number from `min` to `max` (a page, a page size). Like ids, digit strings are
 * accepted and the other things `z.coerce` would turn into numbers are not.
 */
export function wholeNumberSchema(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === "string" && /^-?\d{1,12}$/.test(v) ? Number(v) : v),
    z.number({ error: message }).int(message).min(min, message).max(max, message),
  );
}

/** An id where an empty form field means "not given". */
export const optionalIdSchema = z.preprocess((v) => (v === "" || v === null ? undefined : v), idSchema.optional());

const DATE_MESSAGE = "must be a date (YYYY-MM-DD)";

/** True when `value` is YYYY-MM-DD and that day exists (no 30 February, no year 0). */
export function isCalendarDate(value: string) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** A calendar date as text, YYYY-MM-DD; `Date.parse` would roll 2001-02-30 over into March. */
export const dateSchema = z
  .string({ error: DATE_MESSAGE })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, DATE_MESSAGE)
  .refine(isCalendarDate, "is not a day of the calendar");

/** Whether a string may be stored as text: PostgreSQL refuses NUL, and lone surrogates are not text. */
export function isStorableText(value: string) {
  return !value.includes("\u0000") && value.isWellFormed();
}

const MAX_DEPTH = 16;

/**
 * Every string inside an input (form fields, JSON bodies, query parameters) that
 * cannot be stored as text, named by its path; also inputs nested deeper than any
 * form of Lethe's. One check before every schema, so no schema can forget it.
 */
export function unstorableFields(input: unknown): FieldErrors | null {
  const errors: FieldErrors = {};
  const visit = (value: unknown, path: string[], depth: number) => {
    if (typeof value === "string") {
      if (!isStorableText(value)) (errors[path.join(".") || "_"] ??= []).push("must be text without NUL bytes or broken characters");
      return;
    }
    if (typeof value !== "object" || value === null) return;
    if (depth >= MAX_DEPTH) {
      (errors[path.join(".") || "_"] ??= []).push("is nested too deeply");
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, String(i)], depth + 1));
    else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
      for (const [key, item] of Object.entries(value)) {
        if (!isStorableText(key)) (errors[[...path, "_key"].join(".")] ??= []).push("field names must be text without NUL bytes");
        else visit(item, [...path, key], depth + 1);
      }
    }
  };
  visit(input, [], 0);
  return Object.keys(errors).length ? errors : null;
}

/** Text for a search field: NUL bytes and broken characters removed, as nobody types them. */
export function cleanSearchText(value: string) {
  return value.replaceAll("\u0000", "").toWellFormed();
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/**
 * A union that fails reports "Invalid input" on the whole object; name the fields of the
 * alternative the input came closest to (the one with the fewest complaints) instead.
 */
function flattenIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors?.length) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
      if (closest.length) return flattenIssues(closest, path);
    }
    return [{ ...issue, path }];
  });
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of flattenIssues(error.issues as unknown as Issue[])) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function describeFieldErrors(errors: FieldErrors) {
  return Object.entries(errors)
    .map(([field, messages]) => (field === "_" ? messages.join("; ") : `${field}: ${messages.join("; ")}`))
    .join(". ");
}
