// What each field of a person is called wherever staff read or edit it: the profile,
// the rectification form and its errors, the field history and the privacy settings'
// field policies. One name per field, so a renamed label changes everywhere at once.
// (The access export keeps the field keys themselves: its reader is a machine or the
// person, and its shape must not change with the wording of the UI.)

export const PERSON_FIELD_LABELS = {
  firstName: "First name",
  lastName: "Last name",
  email: "E-mail",
  phone: "Phone",
  address: "Postal address",
  dateOfBirth: "Date of birth",
  externalId: "External id",
  leavingDate: "Leaving date",
} as const;

export type PersonField = keyof typeof PERSON_FIELD_LABELS;

/** The label of a person field, or the key itself for anything else (a custom field). */
export function personFieldLabel(field: string): string {
  return Object.hasOwn(PERSON_FIELD_LABELS, field) ? PERSON_FIELD_LABELS[field as PersonField] : field;
}
