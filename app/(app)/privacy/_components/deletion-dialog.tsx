"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { useFormats } from "@/app/_components/format-client";
import { PersonSearch } from "@/app/_components/person-search";
import { Button } from "@/app/_components/ui";
import { useAction } from "@/app/_components/use-action";
import { useActionForm } from "@/app/_components/use-action-form";
import { translateMessage } from "@/lib/i18n/server-messages";
import type { DeletionPreview } from "@/lib/privacy/deletion/preview";
import { createDeletionTaskAction, deletionPreviewAction, searchPeopleForDeletionAction } from "../actions";
import { deletionDialogSchema } from "./deletion-dialog-schema";
import { KeptRecordsList } from "./kept-records";
import { isTaskStatus, taskWords } from "./task-bits";

/**
 * The one deletion dialog of Lethe, opened from the people list, a person's page and the
 * data-privacy page. It shows what will be removed, asks for DELETE to be typed, and
 * queues the task; the server checks the word and every rule again.
 */
export function DeletionDialog({ person, label, variant = "danger", compact = false, requestId, hideTrigger = false }: {
  person?: { id: number; name: string }; label?: string; variant?: "danger" | "secondary"; compact?: boolean;
  /** No button to open it (the page no longer offers the deletion), but a dialog already open stays, with its outcome. */
  hideTrigger?: boolean;
  /** Opened from a data-subject request: the task answers it, and the request's page is read again when the dialog closes. */
  requestId?: number;
}) {
  const t = useTranslations("deletion");
  const router = useRouter();
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const createdId = useRef<number | null>(null);
  const close = () => {
    setOpen(false);
    // The page is read again, unless the action's response already did (the button is gone).
    if (requestId && !hideTrigger) router.refresh();
  };
  // Once a task was queued and the page no longer offers the deletion (whether the
  // action's response or the refresh on closing re-rendered it), focus goes to the new
  // task's link rather than being lost to the document with the removed button.
  useEffect(() => {
    if (!hideTrigger || open || createdId.current == null) return;
    document.querySelector<HTMLElement>(`main a[href="/privacy/tasks/${createdId.current}"]`)?.focus();
    createdId.current = null;
  }, [hideTrigger, open]);
  return (
    <>
      {hideTrigger ? null : <Button type="button" variant={variant} className={compact ? "!px-2 !py-0.5 text-xs" : ""} onClick={() => { setOpen(true); ref.current?.showModal(); }} aria-haspopup="dialog" aria-label={person && label === undefined ? t("deletePerson", { name: person.name }) : undefined}>
        {label ?? t("delete")}
      </Button>}
      <dialog ref={ref} onClose={close} aria-label={person ? t("deletePerson", { name: person.name }) : t("newTask")} className="m-auto w-full max-w-2xl rounded-lg border border-line p-0 shadow-xl backdrop:bg-black/30">
        {open ? <DialogBody initial={person} requestId={requestId} close={() => ref.current?.close()} onCreated={(id) => { createdId.current = id; }} /> : null}
      </dialog>
    </>
  );
}

function DialogBody({ initial, requestId, close, onCreated }: {
  initial?: { id: number; name: string }; requestId?: number; close: () => void; onCreated: (taskId: number) => void;
}) {
  const t = useTranslations("deletion");
  const ids = useId();
  const [selected, setSelected] = useState<{ id: number; name: string } | null>(initial ?? null);
  const [preview, setPreview] = useState<DeletionPreview | null>(null);
  const [created, setCreated] = useState<{ id: number; awaitingApproval: boolean } | null>(null);
  const previewing = useAction();
  const { form, submit, pending, failure, errors } = useActionForm(deletionDialogSchema, { personId: initial?.id, deleteOrganisation: false, overrideReason: "", holdOverrideReason: "", reference: requestId ? `Request #${requestId}` : "", ...(requestId ? { requestId } : {}) });
  const [confirm, overrideReason, holdOverrideReason] = form.watch(["confirm", "overrideReason", "holdOverrideReason"]);

  useEffect(() => {
    if (!selected) return;
    setPreview(null);
    previewing.run(async () => {
      const result = await deletionPreviewAction(selected.id);
      return result.ok && !result.data ? { ok: false as const, message: t("noLongerExists") } : result;
    }, setPreview);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new preview for each person picked
  }, [selected]);

  function pick(person: { id: number; name: string }) {
    setSelected(person);
    form.setValue("personId", person.id);
    form.resetField("confirm");
  }

  const onSubmit = submit(createDeletionTaskAction, {
    onSuccess: (task) => {
      onCreated(task.id);
      setCreated({ id: task.id, awaitingApproval: task.status === "awaiting_approval" });
    },
  });
  const error = failure?.message ?? previewing.failure?.message;

  if (created) {
    return (
      <div className="p-5">
        <h2 className="text-lg font-semibold">{created.awaitingApproval ? t("awaitingTitle") : t("queuedTitle")}</h2>
        <p role="status" className="mt-2">
          {created.awaitingApproval ? t("awaitingBody", { id: String(created.id) }) : t("queuedBody", { id: String(created.id) })}
        </p>
        <div className="mt-4 flex gap-2">
          <Link href={`/privacy/tasks/${created.id}`} className="rounded border border-accent bg-accent px-3 py-1.5 font-medium text-white no-underline">{t("openTask", { id: String(created.id) })}</Link>
          <Button type="button" onClick={close}>{t("close")}</Button>
        </div>
      </div>
    );
  }

  const blocked = Boolean(preview?.obligations.length);
  return (
    <form onSubmit={onSubmit} noValidate className="max-h-[85vh] overflow-y-auto p-5">
      <h2 className="text-lg font-semibold">{selected ? t("deletePerson", { name: selected.name }) : t("newTask")}</h2>
      <p className="text-muted">{t("intro")}</p>
      {!initial ? <PersonSearch className="mt-3" search={searchPeopleForDeletionAction} words="deletion.picker" onPick={pick} /> : null}
      {error ? <p role="alert" className="mt-3 rounded border border-red-200 bg-red-50 px-3 py-2 text-danger">{error}</p> : null}
      {selected && !preview && previewing.pending ? <p role="status" className="mt-3 text-muted">{t("loading")}</p> : null}
      {preview ? (
        <div className="mt-3 space-y-3">
          <PreviewSummary preview={preview} />
          {preview.organisation?.lastMember ? (
            <label className="flex items-center gap-2">
              <input type="checkbox" {...form.register("deleteOrganisation")} />
              {t("alsoDeleteOrganisation", { name: preview.organisation.name })}
            </label>
          ) : null}
          {blocked ? (
            <div>
              <label htmlFor={`${ids}-override`} className="block font-medium">{t("overrideLabel")}</label>
              <textarea id={`${ids}-override`} {...form.register("overrideReason")} maxLength={500} rows={2} className="mt-1 w-full rounded border border-line px-2 py-1" placeholder={t("overridePlaceholder")}
                aria-invalid={errors.overrideReason ? true : undefined} aria-describedby={errors.overrideReason ? `${ids}-override-error` : undefined} />
              {errors.overrideReason ? <p id={`${ids}-override-error`} className="text-sm text-danger">{errors.overrideReason}</p> : null}
            </div>
          ) : null}
          {preview.hold ? (
            <div>
              <label htmlFor={`${ids}-hold-override`} className="block font-medium">{t("holdOverrideLabel")}</label>
              <textarea id={`${ids}-hold-override`} {...form.register("holdOverrideReason")} maxLength={500} rows={2} className="mt-1 w-full rounded border border-line px-2 py-1" placeholder={t("holdOverridePlaceholder")}
                aria-invalid={errors.holdOverrideReason ? true : undefined} aria-describedby={errors.holdOverrideReason ? `${ids}-hold-override-error` : undefined} />
              {errors.holdOverrideReason ? <p id={`${ids}-hold-override-error`} className="text-sm text-danger">{t("holdOverrideLabel")} {errors.holdOverrideReason}</p> : null}
            </div>
          ) : null}
          {preview.canDelete ? (
            <div>
              <label htmlFor={`${ids}-reference`} className="block font-medium">{t("referenceLabel")}</label>
              <input id={`${ids}-reference`} {...form.register("reference")} maxLength={200} className="mt-1 w-full rounded border border-line px-2 py-1"
                aria-invalid={errors.reference ? true : undefined} aria-describedby={`${ids}-reference-hint${errors.reference ? ` ${ids}-reference-error` : ""}`} />
              <p id={`${ids}-reference-hint`} className="text-sm text-muted">{t("referenceHint")}</p>
              {errors.reference ? <p id={`${ids}-reference-error`} className="text-sm text-danger">{errors.reference}</p> : null}
            </div>
          ) : null}
          {preview.canDelete && preview.awaitsApproval ? <p className="rounded border border-amber-200 bg-amber-50 p-2 text-warn">{t("fourEyesNote")}</p> : null}
          {preview.canDelete ? (
            <div>
              <label htmlFor={`${ids}-confirm`} className="block font-medium">{t("confirmLabel")}</label>
              <input id={`${ids}-confirm`} {...form.register("confirm")} autoComplete="off" spellCheck={false} className="mt-1 w-48 rounded border border-line px-2 py-1 font-mono" aria-invalid={errors.confirm ? true : undefined} aria-describedby={errors.confirm ? `${ids}-confirm-error` : undefined} />
              {/* The word is the only thing this field can get wrong: its message is the dialog's own, in the reader's language. */}
              {errors.confirm ? <p id={`${ids}-confirm-error`} className="text-sm text-danger">{t("confirmError")}</p> : null}
            </div>
          ) : null}
        </div>
      ) : null}
      <div className="mt-5 flex justify-end gap-2">
        <Button type="button" onClick={close}>{t("cancel")}</Button>
        <Button type="submit" variant="danger" disabled={!preview?.canDelete || confirm !== "DELETE" || pending || (blocked && !String(overrideReason ?? "").trim())
          || (preview?.hold != null && !String(holdOverrideReason ?? "").trim())}>
          {t("delete")}
        </Button>
      </div>
    </form>
  );
}

function PreviewSummary({ preview }: { preview: DeletionPreview }) {
  const t = useTranslations("deletion.preview");
  const words = taskWords(useTranslations("tasks"));
  const locale = useLocale();
  const f = useFormats();
  const r = preview.records;
  const hold = preview.hold;
  return (
    <section aria-label={t("title")} className="rounded border border-line bg-panel p-3">
      <h3 className="font-semibold">{t("title")}</h3>
      {preview.refusals.map((x) => <p key={x.code} role="alert" className="mt-1 text-danger">{translateMessage(x.message, locale)}</p>)}
      {hold ? (
        <div className="mt-1 rounded border border-amber-200 bg-amber-50 p-2 text-warn">
          <p className="font-semibold">{t("hold", { since: f.day(hold.sinceOn), reason: hold.reason })}</p>
          <p className="text-sm">{t(hold.expiresOn ? "holdByUntil" : "holdBy", { by: hold.by ?? t("formerAccount"), until: hold.expiresOn ? f.day(hold.expiresOn) : "" })}</p>
        </div>
      ) : null}
      {preview.openTask ? <p className="mt-1 text-warn">{t("openTask", { id: String(preview.openTask.id), status: isTaskStatus(preview.openTask.status) ? words.status(preview.openTask.status) : preview.openTask.status })}</p> : null}
      <ul className="mt-1 list-disc pl-5">
        <li>{t("tickets", { count: preview.tickets.count })}{preview.tickets.count ? ": " : ""}
          {preview.tickets.items.slice(0, 20).map((ticket) => `#${ticket.number} ${ticket.title}`).join(", ")}
          {preview.tickets.count > 20 ? t("moreTickets", { count: preview.tickets.count - 20 }) : ""}
        </li>
        <li>{t("messages", { count: preview.messages })}</li>
        {preview.messagesElsewhere ? <li>{t("messagesElsewhere", { count: preview.messagesElsewhere })}</li> : null}
        {preview.ownedTicketsKept ? <li>{t("ownedTicketsKept", { count: preview.ownedTicketsKept })}</li> : null}
        <li>{t("records", { enrolments: r.enrolments, waitingList: r.waitingList, loans: r.loans, invoices: r.invoices, familyLinks: r.familyLinks, fieldHistory: r.fieldHistory })}{r.account ? t("andAccount") : ""}</li>
      </ul>
      <KeptRecordsList kept={preview.kept} heading />
      {preview.obligations.length ? (
        <div className="mt-2 rounded border border-amber-200 bg-amber-50 p-2 text-warn">
          <p className="font-semibold">{t("obligations")}</p>
          <ul className="list-disc pl-5">{preview.obligations.map((o, i) => <li key={i}>{translateMessage(o.description, locale)}</li>)}</ul>
        </div>
      ) : null}
      {/* The preview's note is always the same sentence (PREVIEW_NOTE), worded here in the reader's language. */}
      <p className="mt-2 text-sm text-muted">{t("note")}</p>
    </section>
  );
}
