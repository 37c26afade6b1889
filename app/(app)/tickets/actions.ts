"use server";

import { runAction } from "@/lib/action";
import { anonymiseTickets } from "@/lib/privacy/anonymise/anonymise-tickets";
import { deleteTickets } from "@/lib/tickets/deletion/delete-tickets";
import { previewTicketAnonymisation, previewTicketDeletion } from "@/lib/tickets/deletion/preview";

// The ticket dialog's calls (_components/ticket-dialog.tsx): a preview, then the change.
// Each takes every selected id in one call — 1,000 ticked tickets are one request.

export async function anonymiseTicketsAction(input: unknown) {
  return runAction(anonymiseTickets, input, ["/tickets"]);
}

export async function deleteTicketsAction(input: unknown) {
  return runAction(deleteTickets, input, ["/tickets", "/"]);
}

export async function previewTicketDeletionAction(input: unknown) {
  return runAction(previewTicketDeletion, input);
}

export async function previewTicketAnonymisationAction(input: unknown) {
  return runAction(previewTicketAnonymisation, input);
}
