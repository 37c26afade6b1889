import { z } from "zod";
import { idSchema } from "@/lib/validation";

// The inputs of ticket deletion (SPEC §12) and of the dialog's previews. Up to 5,000
// tickets at once, as ticket anonymisation takes them: the ticket list shows at most 1,000
// a page, and one call deletes them in one transaction of a handful of statements.

export const MAX_TICKETS_AT_ONCE = 5000;

export const ticketIdsSchema = z
  .array(idSchema, { error: "must be a list of ticket ids" })
  .min(1, "select at least one ticket")
  .max(MAX_TICKETS_AT_ONCE, "at most 5,000 tickets at once")
  // The same id twice is one ticket: deduplicated before anything is read.
  .transform((ids) => [...new Set(ids)].sort((a, b) => a - b));

/** Said of what is not an object at all; an unknown field keeps zod's words, which name it. */
const notAnObject = { error: (issue: { code?: string }) => (issue.code === "invalid_type" ? "must be an object with ticketIds" : undefined) };

export const ticketSelectionSchema = z.object({ ticketIds: ticketIdsSchema }, notAnObject);
export type TicketSelection = z.output<typeof ticketSelectionSchema>;

// Strict: a misspelt reason or reference is refused, naming it, rather than dropped from a
// deletion that cannot be undone.
export const deleteTicketsSchema = z.strictObject({
  ticketIds: ticketIdsSchema,
  /** Why tickets whose customer is on hold are deleted all the same (SPEC §13: admin.data_privacy may override a hold). */
  holdOverrideReason: z.string({ error: "must be text" }).trim().max(500, "must be at most 500 characters").optional(),
  /** A request or ticket number, or free text without personal data, kept in the audit entry. */
  reference: z.string({ error: "must be text" }).trim().max(200, "must be at most 200 characters").optional(),
}, notAnObject);
export type DeleteTicketsInput = z.output<typeof deleteTicketsSchema>;
