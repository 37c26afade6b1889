"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/app/_components/ui";
import { anonymiseTicketsAction } from "./actions";

const FORM_ID = "ticket-selection";

function selectedIds() {
  return Array.from(document.querySelectorAll<HTMLInputElement>(`input[form="${FORM_ID}"][name="ids"]:checked`)).map((i) => i.value);
}

/** The bar above the ticket list: export or anonymise the ticked tickets. */
export function TicketSelectionBar({ canExport, canAnonymise }: { canExport: boolean; canAnonymise: boolean }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const exportAs = (format: "csv" | "xlsx") => {
    const ids = selectedIds();
    if (!ids.length) return setMessage({ ok: false, text: "Select at least one ticket." });
    window.location.href = `/tickets/export?format=${format}&ids=${ids.join(",")}`;
  };
  const anonymise = () => {
    const ids = selectedIds();
    if (!ids.length) return setMessage({ ok: false, text: "Select at least one ticket." });
    if (!window.confirm(`Anonymise ${ids.length} ticket(s)? The customer, their e-mail, the IP addresses and every message body are removed for good; number, dates and state stay for statistics.`)) return;
    start(async () => {
      const result = await anonymiseTicketsAction({ ticketIds: ids.map(Number) });
      setMessage(result.ok ? { ok: true, text: `${ids.length} ticket(s) anonymised.` } : { ok: false, text: result.message });
      if (result.ok) router.refresh();
    });
  };
  if (!canExport && !canAnonymise) return null;
  return (
    <form id={FORM_ID} onSubmit={(e) => e.preventDefault()} className="mb-2 flex flex-wrap items-center gap-2">
      <span className="text-sm text-muted">With the selected tickets:</span>
      {canExport ? <Button type="button" onClick={() => exportAs("xlsx")}>Export XLSX</Button> : null}
      {canExport ? <Button type="button" onClick={() => exportAs("csv")}>Export CSV</Button> : null}
      {canAnonymise ? <Button type="button" variant="danger" onClick={anonymise} disabled={pending}>Anonymise tickets</Button> : null}
      {message ? <span role={message.ok ? "status" : "alert"} className={message.ok ? "text-ok" : "text-danger"}>{message.text}</span> : null}
    </form>
  );
}

export function SelectTicket({ id, number }: { id: number; number: number }) {
  return <input type="checkbox" form={FORM_ID} name="ids" value={id} aria-label={`Select ticket #${number}`} />;
}
