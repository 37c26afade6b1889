"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { TicketDialog } from "../_components/ticket-dialog";

/**
 * A ticket page's "Anonymise ticket": the ticket dialog for this one ticket. Rendered for an
 * anonymised ticket too, so that the words saying it was just done stay after the page reloads.
 */
export function AnonymiseTicketButton({ ticketId, number, anonymised }: { ticketId: number; number: number; anonymised: boolean }) {
  const t = useTranslations("tickets.ticket");
  const router = useRouter();
  const [done, setDone] = useState(false);
  if (done) return <span role="status" className="self-center text-ok">{t("anonymised", { number: String(number) })}</span>;
  if (anonymised) return null;
  return (
    <TicketDialog mode="anonymise" tickets={() => [ticketId]} label={t("anonymise")} variant="secondary"
      onDone={() => { setDone(true); router.refresh(); }} />
  );
}

/** "Delete ticket": once deleted, back to the list, which says which ticket went. */
export function DeleteTicketButton({ ticketId }: { ticketId: number }) {
  const t = useTranslations("tickets.ticket");
  const router = useRouter();
  return (
    <TicketDialog mode="delete" tickets={() => [ticketId]} label={t("delete")}
      onDone={(done) => router.push(`/tickets?deleted=${done.mode === "delete" ? done.ticketNumbers.join(",") : ""}`)} />
  );
}
