"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { anonymiseTicketsAction } from "./actions";

const FORM_ID = "ticket-selection";

function selectedIds() {
  return Array.from(document.querySelectorAll<HTMLInputElement>(`input[form="${FORM_ID}"][name="ids"]:checked`)).map((i) => i.value);
}

/** The bar above the ticket list: export or anonymise the ticked tickets. */
export function TicketSelectionBar({ canExport, canAnonymise }: { canExport: boolean; canAnonymise: boolean }) {
  const t = useTranslations("tickets.selection");
  const [exportError, setExportError] = useState<string | null>(null);
  const exportAs = (format: "csv" | "xlsx") => {
    const ids = selectedIds();
    if (!ids.length) return setExportError(t("nothingSelected"));
    setExportError(null);
    window.location.href = `/tickets/export?format=${format}&ids=${ids.join(",")}`;
  };
  const anonymise = () => {
    setExportError(null);
    const ids = selectedIds();
    if (!ids.length) return { ok: false as const, message: t("nothingSelected") };
    if (!window.confirm(t("confirm", { count: ids.length }))) return;
    return anonymiseTicketsAction({ ticketIds: ids.map(Number) });
  };
  if (!canExport && !canAnonymise) return null;
  return (
    <form id={FORM_ID} onSubmit={(e) => e.preventDefault()} className="mb-2 flex flex-wrap items-center gap-2">
      <span className="text-sm text-muted">{t("with")}</span>
      {canExport ? <Button type="button" onClick={() => exportAs("xlsx")}>{t("exportXlsx")}</Button> : null}
      {canExport ? <Button type="button" onClick={() => exportAs("csv")}>{t("exportCsv")}</Button> : null}
      {canAnonymise ? (
        <ActionButton variant="danger" action={anonymise} success={(data) => t("done", { count: data.ticketIds.length })} refresh messageClassName="">
          {t("anonymise")}
        </ActionButton>
      ) : null}
      {exportError ? <span role="alert" className="text-danger">{exportError}</span> : null}
    </form>
  );
}

export function SelectTicket({ id, number }: { id: number; number: number }) {
  const t = useTranslations("tickets.selection");
  return <input type="checkbox" form={FORM_ID} name="ids" value={id} aria-label={t("selectTicket", { number })} />;
}
