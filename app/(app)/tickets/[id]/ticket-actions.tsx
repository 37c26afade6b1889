"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/app/_components/ui";
import { anonymiseTicketsAction } from "../actions";

export function AnonymiseTicketButton({ ticketId, number }: { ticketId: number; number: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <>
      <Button
        type="button"
        variant="danger"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(`Anonymise ticket #${number}? The customer, their e-mail, the IP addresses and every message body are removed for good; the number, dates and state stay.`)) return;
          start(async () => {
            const result = await anonymiseTicketsAction({ ticketIds: [ticketId] });
            if (result.ok) router.refresh();
            else setError(result.message);
          });
        }}
      >
        Anonymise ticket
      </Button>
      {error ? <span role="alert" className="text-danger">{error}</span> : null}
    </>
  );
}
