import { z } from "zod";
import { apiRoute, otherMethods } from "@/lib/api";
import { defineOperation } from "@/lib/operation";
import { jsonOf } from "@/lib/openapi/wire";
import { deleteTickets } from "@/lib/tickets/deletion/delete-tickets";
import { deleteTicketsSchema } from "@/lib/tickets/deletion/schemas";
import { idSchema } from "@/lib/validation";
import { ticketDeletionAnswer } from "../deletion-json";

export const dynamic = "force-dynamic";

// DELETE /api/v1/tickets/{id} — deletes one ticket with its messages, as the ticket page's
// "Delete ticket" does (admin.data_privacy): the same operation as for many, its id in the
// path. A reason to override a hold on the customer and a reference go as query parameters.
const deleteTicketFromApi = defineOperation({
  name: "deleteTicketFromApi",
  permission: deleteTickets.permission,
  // Strict like the body of the bulk route: a misspelt query parameter is refused, naming it.
  input: z.strictObject({
    id: idSchema,
    holdOverrideReason: deleteTicketsSchema.shape.holdOverrideReason,
    reference: deleteTicketsSchema.shape.reference,
  }),
  run: ({ input: { id, ...rest }, ...ctx }) => deleteTickets.run({ ...ctx, input: { ticketIds: [id], ...rest } }),
});

export const DELETE = apiRoute(deleteTicketFromApi, {
  input: ({ params, query }) => ({ ...query, id: params.id }),
  respond: (deleted) => jsonOf(ticketDeletionAnswer, { data: deleted }),
  doc: {
    operationId: "deleteTicket",
    tag: "Tickets",
    summary: "Delete a ticket",
    description: "Deletes the ticket with its messages, for good; the audit log keeps its number. Needs admin.data_privacy. "
      + "409 while the ticket's customer has an open deletion task (it deletes their tickets itself); 422 while the customer is on hold, unless holdOverrideReason says why. Nothing is deleted on any refusal.",
    request: { query: ["holdOverrideReason", "reference"] },
    responses: { 200: { description: "The ticket is deleted.", schema: ticketDeletionAnswer } },
    errors: ["conflict", "rule_violation"],
  },
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
