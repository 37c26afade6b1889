import { z } from "zod";
import { countSchema, dataOf } from "@/lib/openapi/wire";

// What DELETE /api/v1/tickets/{id} and POST /api/v1/tickets/deletions answer: the counts
// of what went and the deleted tickets' numbers (deleteTickets, lib/tickets/deletion).

export const ticketDeletionSchema = z.strictObject({
  tickets: countSchema.describe("Tickets deleted."),
  messages: countSchema.describe("Their messages, deleted with them."),
  nameMentions: countSchema.describe("Items of the redaction review that pointed into them, removed with them."),
  ticketNumbers: z.array(z.number().int().min(1)).describe("The deleted tickets' numbers, ascending."),
}).meta({ id: "TicketDeletion" });

export const ticketDeletionAnswer = dataOf(ticketDeletionSchema);
