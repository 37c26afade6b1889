import type { FieldErrors } from "@/lib/errors";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import type { z } from "zod";
import type { Locale } from "./locales";
import { GERMAN, GERMAN_SLOTS } from "./server-messages-de";
import { ENGLISH_MONTHS } from "./server-messages-table";

// The one translation of what the domain says when it refuses: a Result's message and
// field errors, written in English by lib/ (DomainError messages, zod messages, the
// defaults of lib/errors.ts), are translated here on their way out — by the server actions
// for the signed-in account's language (lib/action.ts), by the API for Accept-Language
// (lib/api.ts), and in the browser where a form checks its schema before posting
// (app/_components/use-action-form.ts).
//
// Why a table keyed by the English message, not catalogue keys in the domain: the domain
// stays free of languages (its messages are also the API's stable English, its tests'
// assertions and the server log's words), and a refusal is translated in one place however
// deep it was raised. The variable parts are placeholders with a fixed pattern each
// ({id}, {n}, {status}…; a second of the same kind is numbered: {day2}): the table's type
// refuses a placeholder that is not one of them
// or a German text that drops or invents one, and server-messages.test.ts fails when a
// message literal of lib/ has no German entry. A message without an entry stays English.

/** What each placeholder of an English message matches. */
export const SLOT_PATTERNS = {
  /** A count or limit as English writes it: 5,000. */
  n: String.raw`-?\d[\d,]*`,
  id: String.raw`\d+`,
  /** Data, kept as it is: a name, an e-mail address, a role, an HTTP method. */
  name: ".+?",
  /** A message of its own, translated in turn. */
  text: ".+?",
  status: "queued|running|completed|failed|cancelled|awaiting_approval",
  /** A person field's English label (lib/people/fields.ts) or a custom field's key. */
  field: ".+?",
  policy: "keep|blank|mask|generalise",
  object: "person|ticket",
  /**
   * A calendar day: YYYY-MM-DD, or spelled out as the annual cycle writes it in its
   * sentences ("1 November 2026"). The long form is matched here rather than passed as
   * data because those sentences are stored (a skipped step's reason) or built where no
   * reader is known, and translating the finished sentence is the one way every message
   * of the domain takes; each form is given back in German's matching form.
   */
  day: String.raw`\d{4}-\d{2}-\d{2}|\d{1,2} (?:${ENGLISH_MONTHS.join("|")}) \d{4}`,
  /** A day of the year: 1 November. */
  dayOfYear: String.raw`\d{1,2} [A-Z][a-z]+`,
  month: ENGLISH_MONTHS.join("|"),
  /** The rules a manual anonymisation fails: "rule (reason); rule (reason)". */
  failures: ".+?",
  /** Messages separated by "; " (blocking obligations, a run's refusals), each translated in turn. */
  list: ".+?",
  /** A type or value zod names. */
  expected: ".+?",
  received: ".+?",
} as const;
export type SlotName = keyof typeof SLOT_PATTERNS;
type Placeholder = SlotName | `${SlotName}${number}`;

type SlotsOf<S extends string> = S extends `${string}{${infer P}}${infer R}` ? P | SlotsOf<R> : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * A translation table: each English message (with placeholders) and its translation. A
 * placeholder that is not a slot, or a translation whose placeholders differ from the
 * English ones, makes that entry's type `never`, so the typecheck names it.
 */
export type CheckedTable<T extends Record<string, string>> = {
  [K in keyof T & string]: [SlotsOf<K>] extends [Placeholder] ? (Same<SlotsOf<K>, SlotsOf<T[K]>> extends true ? T[K] : never) : never;
};

/** How a language says a slot's value; without one the value is kept. */
export type SlotWords = Partial<Record<SlotName, (value: string, translate: (message: string) => string) => string>>;

type Compiled = { re: RegExp; names: string[]; target: string };

const slotOf = (name: string) => name.replace(/\d+$/, "") as SlotName;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compile(table: Record<string, string>) {
  const exact = new Map<string, string>();
  const patterns: Compiled[] = [];
  for (const [english, target] of Object.entries(table)) {
    const names: string[] = [];
    const source = english.split(/(\{\w+\})/).map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name) return escape(part);
      names.push(name);
      return `(${SLOT_PATTERNS[slotOf(name)]})`;
    }).join("");
    if (names.length) patterns.push({ re: new RegExp(`^${source}$`, "s"), names, target });
    else exact.set(english, target);
  }
  return { exact, patterns };
}

const TABLES: Record<Exclude<Locale, "en">, { exact: Map<string, string>; patterns: Compiled[]; words: SlotWords }> = {
  de: { ...compile(GERMAN), words: GERMAN_SLOTS },
};

/** One message in `locale`: its entry, with the placeholders' values in place; else itself. */
export function translateMessage(message: string, locale: Locale): string {
  if (locale === "en") return message;
  const table = TABLES[locale];
  const exact = table.exact.get(message);
  if (exact !== undefined) return exact;
  const translate = (m: string) => translateMessage(m, locale);
  for (const { re, names, target } of table.patterns) {
    const match = re.exec(message);
    if (!match) continue;
    const values = new Map(names.map((name, i) => [name, match[i + 1]] as const));
    return target.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = values.get(name) ?? "";
      return table.words[slotOf(name)]?.(value, translate) ?? value;
    });
  }
  return message;
}

/** Whether `message` has a translation into every language besides English. */
export function hasTranslation(message: string) {
  return (Object.keys(TABLES) as (keyof typeof TABLES)[]).every((locale) => {
    const table = TABLES[locale];
    return table.exact.has(message) || table.patterns.some(({ re }) => re.test(message));
  });
}

export function translateFieldErrors(fieldErrors: FieldErrors, locale: Locale): FieldErrors {
  return Object.fromEntries(Object.entries(fieldErrors).map(([field, messages]) => [field, messages.map((m) => translateMessage(m, locale))]));
}

/** A list page's filters refused from the URL, in `locale`: "status: …. page: …". */
export function describeFilterProblems(error: z.ZodError, locale: Locale): string {
  return describeFieldErrors(translateFieldErrors(fieldErrorsOf(error), locale));
}

/**
 * A refusal in `locale`. A message that only lists the field errors (the runner's
 * "field: message. field: message") is written again from the translated field errors;
 * any other is translated as a whole. Codes, fields and details are kept.
 */
export function translateFailure<F extends { message: string; fieldErrors?: FieldErrors }>(failure: F, locale: Locale): F {
  if (locale === "en") return failure;
  const fieldErrors = failure.fieldErrors ? translateFieldErrors(failure.fieldErrors, locale) : undefined;
  const listsFields = failure.fieldErrors && failure.message === describeFieldErrors(failure.fieldErrors);
  const message = listsFields && fieldErrors ? describeFieldErrors(fieldErrors) : translateMessage(failure.message, locale);
  return { ...failure, message, ...(fieldErrors ? { fieldErrors } : {}) };
}

/** A Result in `locale`: a success as it is, a refusal translated. */
export function translateResult<R extends { ok: boolean }>(result: R, locale: Locale): R {
  if (result.ok || locale === "en") return result;
  return translateFailure(result as R & { message: string; fieldErrors?: FieldErrors }, locale);
}
