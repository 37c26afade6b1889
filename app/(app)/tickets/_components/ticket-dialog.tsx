"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/app/_components/ui";
import { useAction } from "@/app/_components/use-action";
import type { TicketAnonymisationPreview, TicketDeletionPreview } from "@/lib/tickets/deletion/preview";
import { anonymiseTicketsAction, deleteTicketsAction, previewTicketAnonymisationAction, previewTicketDeletionAction } from "../actions";
import { PreviewSummary } from "./ticket-dialog-summary";

export type TicketDialogMode = "anonymise" | "delete";
export type TicketDialogDone =
  | { mode: "delete"; tickets: number; messages: number; ticketNumbers: number[] }
  | { mode: "anonymise"; tickets: number };

type Preview = TicketDeletionPreview | TicketAnonymisationPreview;

/**
 * The one dialog that anonymises or deletes tickets, from a ticket's page and from the
 * ticket list's selection. A native <dialog> opened with showModal (focus moves in and is
 * kept there, Escape closes it, focus goes back to the button), labelled by its heading.
 * It first loads the preview and says what will happen — how many tickets and messages,
 * which numbers, what refuses and what deserves a second look — and only then offers the
 * confirmation. The server checks everything again.
 */
export function TicketDialog({ mode, tickets, label, variant = "danger", onDone }: {
  mode: TicketDialogMode;
  /** The tickets, read when the button is pressed (the list's ticked boxes, or the page's one ticket). */
  tickets: () => number[];
  label: string;
  variant?: "danger" | "secondary";
  onDone: (done: TicketDialogDone) => void;
}) {
  const t = useTranslations("tickets.dialog");
  const ref = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const [ids, setIds] = useState<number[] | null>(null);
  const [nothing, setNothing] = useState(false);

  function open() {
    const chosen = tickets();
    setNothing(chosen.length === 0);
    if (!chosen.length) return;
    setIds(chosen);
    ref.current?.showModal();
  }

  return (
    <>
      <Button ref={trigger} type="button" variant={variant} onClick={open} aria-haspopup="dialog">{label}</Button>
      {nothing ? <span role="alert" className="text-danger">{t("nothingSelected")}</span> : null}
      <dialog ref={ref} aria-labelledby={headingId} onClose={() => { setIds(null); trigger.current?.focus(); }}
        className="m-auto w-full max-w-xl rounded-lg border border-line p-0 shadow-xl backdrop:bg-black/30">
        {ids ? (
          <DialogBody key={ids.join(",")} mode={mode} ids={ids} headingId={headingId} close={() => ref.current?.close()}
            done={(result) => { ref.current?.close(); onDone(result); }} />
        ) : null}
      </dialog>
    </>
  );
}

function DialogBody({ mode, ids, headingId, close, done }: {
  mode: TicketDialogMode; ids: number[]; headingId: string; close: () => void; done: (result: TicketDialogDone) => void;
}) {
  const t = useTranslations("tickets.dialog");
  const fields = useId();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [holdOverrideReason, setHoldOverrideReason] = useState("");
  const [reference, setReference] = useState("");
  const loading = useAction();
  const acting = useAction();

  const loadPreview = () =>
    loading.run(() => (mode === "delete" ? previewTicketDeletionAction({ ticketIds: ids }) : previewTicketAnonymisationAction({ ticketIds: ids })), setPreview);
  useEffect(() => {
    loadPreview();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per opening: the body is keyed by the tickets
  }, []);

  /**
   * A refusal means the tickets changed since the preview (deleted elsewhere, a deletion
   * task or a hold on a customer meanwhile): the preview is read again, so the dialog says
   * what stands in the way now and the confirmation follows it instead of failing again.
   */
  useEffect(() => {
    if (acting.failure) loadPreview();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per refusal
  }, [acting.failure]);

  const deletion = mode === "delete" && preview ? (preview as TicketDeletionPreview) : null;
  const needsReason = Boolean(deletion?.onHold.length);
  const allowed = preview ? ("canDelete" in preview ? preview.canDelete : preview.canAnonymise) : false;
  const count = preview?.tickets ?? 0;
  const failure = acting.failure ?? loading.failure;

  function confirm() {
    if (mode === "delete") {
      acting.run(() => deleteTicketsAction({ ticketIds: ids, ...(needsReason ? { holdOverrideReason } : {}), ...(reference.trim() ? { reference } : {}) }),
        (data) => done({ mode: "delete", tickets: data.tickets, messages: data.messages, ticketNumbers: data.ticketNumbers }));
    } else {
      acting.run(() => anonymiseTicketsAction({ ticketIds: ids }), (data) => done({ mode: "anonymise", tickets: data.ticketIds.length }));
    }
  }

  return (
    // No form: Enter in the reference field must not delete anything; only the button does.
    <div className="max-h-[85vh] overflow-y-auto p-5">
      <h2 id={headingId} className="text-lg font-semibold">{t(mode === "delete" ? "deleteTitle" : "anonymiseTitle", { count: ids.length })}</h2>
      {loading.pending || (!preview && !failure) ? <p role="status" className="mt-3 text-muted">{t("loading", { count: ids.length })}</p> : null}
      {preview ? <PreviewSummary mode={mode} preview={preview} /> : null}
      {deletion && needsReason && deletion.canDelete ? (
        <div className="mt-3">
          <label htmlFor={`${fields}-hold`} className="block font-medium">{t("holdOverrideLabel")}</label>
          <textarea id={`${fields}-hold`} value={holdOverrideReason} onChange={(e) => setHoldOverrideReason(e.target.value)} maxLength={500} rows={2} required
            aria-describedby={`${fields}-hold-hint`} className="mt-1 w-full rounded border border-line px-2 py-1" />
          <p id={`${fields}-hold-hint`} className="text-sm text-muted">{t("holdOverrideHint")}</p>
        </div>
      ) : null}
      {deletion?.canDelete ? (
        <div className="mt-3">
          <label htmlFor={`${fields}-reference`} className="block font-medium">{t("referenceLabel")}</label>
          <input id={`${fields}-reference`} value={reference} onChange={(e) => setReference(e.target.value)} maxLength={200}
            aria-describedby={`${fields}-reference-hint`} className="mt-1 w-full rounded border border-line px-2 py-1" />
          <p id={`${fields}-reference-hint`} className="text-sm text-muted">{t("referenceHint")}</p>
        </div>
      ) : null}
      {failure ? <p role="alert" className="mt-3 rounded border border-red-200 bg-red-50 px-3 py-2 text-danger">{failure.message}</p> : null}
      {acting.pending ? <p role="status" className="mt-3 text-muted">{t(mode === "delete" ? "deleting" : "anonymising", { count })}</p> : null}
      <div className="mt-5 flex justify-end gap-2">
        <Button type="button" onClick={close} autoFocus>{t("cancel")}</Button>
        <Button type="button" onClick={confirm} variant="danger" disabled={!allowed || acting.pending || loading.pending || (needsReason && !holdOverrideReason.trim())}>
          {t(mode === "delete" ? "confirmDelete" : "confirmAnonymise", { count })}
        </Button>
      </div>
    </div>
  );
}
