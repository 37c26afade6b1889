"use client";

import { ActionButton } from "@/app/_components/action-button";
import { anonymiseTicketsAction } from "../actions";

export function AnonymiseTicketButton({ ticketId, number }: { ticketId: number; number: number }) {
  return (
    <ActionButton
      variant="danger"
      action={() => anonymiseTicketsAction({ ticketIds: [ticketId] })}
      confirm={`Anonymise ticket #${number}? The customer, their e-mail, the IP addresses and every message body are removed for good; the number, dates and state stay.`}
      refresh
      messageClassName=""
    >
      Anonymise ticket
    </ActionButton>
  );
}
