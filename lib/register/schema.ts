import { z } from "zod";

// The register's fields and their checks, apart from the code that writes them: the
// register page checks the same schema in the browser. No "server-only": the form imports it.

export const REGISTER_RECORD_TYPES = [
  "people", "tickets", "enrolments", "waiting_lists", "loans", "invoices", "family_links", "outbox",
] as const;
export type RecordType = (typeof REGISTER_RECORD_TYPES)[number];

/** The fields of an entry, in the order the page and the export show them. */
export const REGISTER_FIELDS = ["purposes", "categories", "legalBasis", "recipients", "source", "retention"] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];

export const REGISTER_TEXT_MAX = 1000;

const text = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(REGISTER_TEXT_MAX, `must be at most ${REGISTER_TEXT_MAX} characters`);

export const registerEntrySchema = z.object({
  recordType: z.enum(REGISTER_RECORD_TYPES, { error: "must be one of the record types of the register" }),
  purposes: text,
  categories: text,
  legalBasis: text,
  recipients: text,
  source: text,
  retention: text,
});
export type RegisterEntryInput = z.infer<typeof registerEntrySchema>;
