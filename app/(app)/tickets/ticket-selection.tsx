"use client";

import { useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { anonymiseTicketsAction } from "./actions";

const FORM_ID = "ticket-selection";
const NOTHING_SELECTED = "Select at least one ticket.";

function selectedIds() {
  return Array.from(document.querySelectorAll<HTMLInputElement>(`input[form="${FORM_ID}"][name="ids"]:checked`)).map((i) => i.value);
}

/** The bar above the ticket list: export or anonymise the ticked tickets. */
export function TicketSelectionBar({ canExport, canAnonymise }: { canExport: boolean; canAnonymise: boolean }) {
  const [exportError, setExportError] = useState<string | null>(null);
  const exportAs = (format: "csv" | "xlsx") => {
    const ids = selectedIds();
    if (!ids.length) return setExportError(NOTHING_SELECTED);
    setExportError(null);
    window.location.href = `/tickets/export?format=${format}&ids=${ids.join(",")}`;
  };
  const anonymise = () => {
    setExportError(null);
    const ids = selectedIds();
    if (!ids.length) return { ok: false as const, message: NOTHING_SELECTED };
    if (!window.confirm(`Anonymise ${ids.length} ticket(s)? The customer, their e-mail, the IP addresses and every message body are removed for good; number, dates and state stay for statistics.`)) return;
    return anonymiseTicketsAction({ ticketIds: ids.map(Number) });
  };
  if (!canExport && !canAnonymise) return null;
  return (
    <form id={FORM_ID} onSubmit={(e) => e.preventDefault()} className="mb-2 flex flex-wrap items-center gap-2">
      <span className="text-sm text-muted">With the selected tickets:</span>
      {canExport ? <Button type="button" onClick={() => exportAs("xlsx")}>Export XLSX</Button> : null}
      {canExport ? <Button type="button" onClick={() => exportAs("csv")}>Export CSV</Button> : null}
      {canAnonymise ? (
        <ActionButton variant="danger" action={anonymise} success={(data) => `${data.ticketIds.length} ticket(s) anonymised.`} refresh messageClassName="">
          Anonymise tickets
        </ActionButton>
      ) : null}
      {exportError ? <span role="alert" className="text-danger">{exportError}</span> : null}
    </form>
  );
}

export function SelectTicket({ id, number }: { id: number; number: number }) {
  return <input type="checkbox" form={FORM_ID} name="ids" value={id} aria-label={`Select ticket #${number}`} />;
}
