// The record types that can carry a legal retention obligation, and the dates a period
// may count from. Only a table with the kept-record columns (person_id nullable,
// kept_ref, kept_until, kept_law: migration 0010) can be listed here: keeping a record
// means detaching it from its person, which the other tables cannot do.
export const KEEPABLE_RECORD_TYPES = {
  invoices: { table: "invoices", dateFields: ["issued_on", "due_on"] },
} as const;

export type KeepableRecordType = keyof typeof KEEPABLE_RECORD_TYPES;
export const RECORD_TYPE_NAMES = Object.keys(KEEPABLE_RECORD_TYPES) as KeepableRecordType[];

export function dateFieldsOf(recordType: string): readonly string[] {
  return (KEEPABLE_RECORD_TYPES as Record<string, { dateFields: readonly string[] }>)[recordType]?.dateFields ?? [];
}
