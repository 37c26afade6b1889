"use client";

import { useTranslations } from "next-intl";
import { ActionButton } from "@/app/_components/action-button";
import { anonymiseTicketsAction } from "../actions";

export function AnonymiseTicketButton({ ticketId, number }: { ticketId: number; number: number }) {
  const t = useTranslations("tickets.ticket");
  return (
    <ActionButton
      variant="danger"
      action={() => anonymiseTicketsAction({ ticketIds: [ticketId] })}
      confirm={t("anonymiseConfirm", { number })}
      refresh
      messageClassName=""
    >
      {t("anonymise")}
    </ActionButton>
  );
}
