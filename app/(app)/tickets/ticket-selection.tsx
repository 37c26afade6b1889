"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui";
import { TicketDialog, type TicketDialogDone } from "./_components/ticket-dialog";

// The ticked tickets of the list are checkboxes of one form (form="ticket-selection"),
// each in its row. Selecting many at once: "Select all tickets on this page" in the table's
// header ticks every row shown, and the list shows up to 1,000 tickets a page (the
// "per page" choice above it) — so 1,000 tickets are chosen by filtering the list,
// choosing 1,000 per page and ticking the header's box. Whatever is ticked goes to the
// server in ONE call: an export link with every id, or one server action of the dialog
// (deleteTickets and anonymiseTickets take up to 5,000 ids).

const FORM_ID = "ticket-selection";
const BOXES = `input[form="${FORM_ID}"][name="ids"]`;

function boxes() {
  return Array.from(document.querySelectorAll<HTMLInputElement>(BOXES));
}

function selectedIds() {
  return boxes().filter((b) => b.checked).map((b) => Number(b.value));
}

/** Calls `update` now, whenever a box changes, and when rows come or go (the list refreshed). */
function useSelectionChanges(update: () => void) {
  useEffect(() => {
    update();
    document.addEventListener("change", update);
    const rows = new MutationObserver(update);
    rows.observe(document.querySelector("main") ?? document.body, { childList: true, subtree: true });
    return () => {
      document.removeEventListener("change", update);
      rows.disconnect();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- subscribed once
  }, []);
}

/** Programmatic changes fire no event: tell the bar's count and the header's box. */
function announceChange() {
  document.dispatchEvent(new Event("change"));
}

/** The number of ticked rows. */
function useSelectedCount() {
  const [count, setCount] = useState(0);
  useSelectionChanges(() => setCount(selectedIds().length));
  return count;
}

/** The bar above the ticket list: export, anonymise or delete the ticked tickets. */
export function TicketSelectionBar({ canExport, canAnonymise, canDelete, listed }: {
  canExport: boolean; canAnonymise: boolean; canDelete: boolean;
  /** Rows the list shows: with none (the last ones just deleted), only what was done is said. */
  listed: number;
}) {
  const t = useTranslations("tickets.selection");
  const router = useRouter();
  const count = useSelectedCount();
  const [exportError, setExportError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const exportAs = (format: "csv" | "xlsx") => {
    const ids = selectedIds();
    if (!ids.length) return setExportError(t("nothingSelected"));
    setExportError(null);
    window.location.href = `/tickets/export?format=${format}&ids=${ids.join(",")}`;
  };
  const finished = (result: TicketDialogDone) => {
    setDone(result.mode === "delete"
      ? t("deleted", { count: result.tickets, messages: result.messages })
      : t("done", { count: result.tickets }));
    for (const box of boxes()) box.checked = false;
    announceChange();
    router.refresh();
  };
  const read = () => {
    setExportError(null);
    setDone(null);
    return selectedIds();
  };
  if (!canExport && !canAnonymise && !canDelete) return null;
  if (!listed) return done ? <p role="status" className="mb-2 text-ok">{done}</p> : null;
  return (
    <form id={FORM_ID} onSubmit={(e) => e.preventDefault()} className="mb-2 flex flex-wrap items-center gap-2">
      <span className="text-sm text-muted" aria-live="polite">{t("with", { count })}</span>
      {canExport ? <Button type="button" onClick={() => exportAs("xlsx")}>{t("exportXlsx")}</Button> : null}
      {canExport ? <Button type="button" onClick={() => exportAs("csv")}>{t("exportCsv")}</Button> : null}
      {canAnonymise ? <TicketDialog mode="anonymise" tickets={read} label={t("anonymise")} variant="secondary" onDone={finished} /> : null}
      {canDelete ? <TicketDialog mode="delete" tickets={read} label={t("delete")} onDone={finished} /> : null}
      {exportError ? <span role="alert" className="text-danger">{exportError}</span> : null}
      {done ? <span role="status" className="text-ok">{done}</span> : null}
    </form>
  );
}

export function SelectTicket({ id, number }: { id: number; number: number }) {
  const t = useTranslations("tickets.selection");
  return <input type="checkbox" form={FORM_ID} name="ids" value={id} aria-label={t("selectTicket", { number })} />;
}

/** The header's box: ticks or clears every row of the page; half-ticked while some are. */
export function SelectAllTickets() {
  const t = useTranslations("tickets.selection");
  const ref = useRef<HTMLInputElement>(null);
  useSelectionChanges(() => {
    const all = boxes();
    const ticked = all.filter((b) => b.checked).length;
    if (!ref.current) return;
    ref.current.checked = all.length > 0 && ticked === all.length;
    ref.current.indeterminate = ticked > 0 && ticked < all.length;
  });
  const toggle = (checked: boolean) => {
    for (const box of boxes()) box.checked = checked;
    announceChange();
  };
  return <input ref={ref} type="checkbox" aria-label={t("selectAll")} onChange={(e) => toggle(e.target.checked)} />;
}
