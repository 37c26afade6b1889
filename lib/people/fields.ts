import enPeople from "@/lib/i18n/messages/en/people.json";
import dePeople from "@/lib/i18n/messages/de/people.json";
import type { Locale } from "@/lib/i18n/locales";

// What each field of a person is called wherever staff read or edit it: the profile,
// the rectification form and its errors, the field history and the privacy settings'
// field policies. The words live in the "people.fields" catalogue, one name per field and
// language, so a renamed label changes everywhere at once. Only the people catalogues are
// imported, so a browser form that names fields does not carry every catalogue.
// (The access export keeps the field keys themselves: its reader is a machine or the
// person, and its shape must not change with the wording of the UI.)

export type PersonField = keyof typeof enPeople.fields;

const LABELS: Record<Locale, Record<PersonField, string>> = { en: enPeople.fields, de: dePeople.fields };

/** The label of a person field in a language, or the key itself for anything else (a custom field). */
export function personFieldLabel(field: string, locale: Locale = "en"): string {
  return Object.hasOwn(LABELS.en, field) ? LABELS[locale][field as PersonField] : field;
}

/** Every person field's label in a language, for a page that names them all. */
export function personFieldLabels(locale: Locale = "en"): Readonly<Record<PersonField, string>> {
  return LABELS[locale];
}
