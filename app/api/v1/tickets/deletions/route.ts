import { apiRoute, otherMethods } from "@/lib/api";
import { jsonOf } from "@/lib/openapi/wire";
import { deleteTickets } from "@/lib/tickets/deletion/delete-tickets";
import { ticketDeletionAnswer } from "../deletion-json";

export const dynamic = "force-dynamic";

// POST /api/v1/tickets/deletions — deletes up to 5,000 tickets in one transaction, as
// "Delete selected tickets" in the ticket list does (admin.data_privacy). Every id is
// checked before anything is deleted: one that does not exist answers 404 naming it, a
// ticket whose customer has an open deletion task 409, a customer on hold 422 without
// holdOverrideReason; nothing is deleted on any refusal.
export const POST = apiRoute(deleteTickets, {
  input: ({ body }) => body(),
  respond: (deleted) => jsonOf(ticketDeletionAnswer, { data: deleted }),
  doc: {
    operationId: "deleteTickets",
    tag: "Tickets",
    summary: "Delete tickets",
    description: "Deletes the tickets with their messages, for good, in one transaction; the audit log keeps their numbers. Needs admin.data_privacy. "
      + "The same id twice is one ticket. 404 names the ids that do not exist, 409 the tickets whose customer has an open deletion task, 422 those whose customer is on hold (give holdOverrideReason). Nothing is deleted on any refusal.",
    request: { body: "rest" },
    responses: { 200: { description: "The tickets are deleted.", schema: ticketDeletionAnswer } },
    errors: ["not_found", "conflict", "rule_violation"],
  },
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
