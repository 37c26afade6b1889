"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type ReactNode, useId, useRef, useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { useFormats } from "@/app/_components/format-client";
import { Button } from "@/app/_components/ui";
import { useAction } from "@/app/_components/use-action";
import { useActionForm } from "@/app/_components/use-action-form";
import { preventionInputSchema } from "@/lib/privacy/prevention/schemas";
import type { BulkDryRun } from "@/lib/privacy/tasks/bulk-selection";
import { cancelBatchAction, createBulkAction, dryRunBulkAction, preventFromReviewAction } from "./actions";

const FORM_ID = "review-selection";
const strong = (chunks: ReactNode) => <strong>{chunks}</strong>;

function checkedIds() {
  return Array.from(document.querySelectorAll<HTMLInputElement>(`input[form="${FORM_ID}"][name="personIds"]:checked`)).map((i) => Number(i.value));
}

export function SelectRow({ id, name }: { id: number; name: string }) {
  const t = useTranslations("review.bulk");
  return <input type="checkbox" form={FORM_ID} name="personIds" value={id} aria-label={t("selectRow", { name })} />;
}

type Filters = { kind?: string; organisationId?: number; imported?: boolean };
type Selection = { personIds: number[] } | { allEligible: true; filters?: Filters };

/** Select, see a dry run of what will be touched, confirm, and queue the bulk run. */
export function BulkBar({ eligibleTotal, filters }: { eligibleTotal: number | null; filters: Filters }) {
  const t = useTranslations("review.bulk");
  const f = useFormats();
  const ids = useId();
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [allAcrossPages, setAllAcrossPages] = useState(false);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [dryRun, setDryRun] = useState<BulkDryRun | null>(null);
  // The reference the run's tasks are filed under (SPEC §13): optional, no personal data.
  const [reference, setReference] = useState("");
  const counting = useAction();

  function review() {
    const cleaned = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
    const chosen: Selection = allAcrossPages ? { allEligible: true, ...(Object.keys(cleaned).length ? { filters: cleaned } : {}) } : { personIds: checkedIds() };
    if ("personIds" in chosen && chosen.personIds.length === 0) return counting.run(() => ({ ok: false, message: t("selectAtLeastOne") }));
    setSelection(chosen);
    setDryRun(null);
    dialog.current?.showModal();
    counting.run(() => dryRunBulkAction(chosen), setDryRun);
  }

  return (
    <form id={FORM_ID} onSubmit={(e) => { e.preventDefault(); review(); }} className="mb-2 flex flex-wrap items-center gap-3 rounded border border-line bg-panel px-3 py-2">
      {eligibleTotal !== null ? (
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={allAcrossPages} onChange={(e) => setAllAcrossPages(e.target.checked)} />
          {t("selectAll", { count: eligibleTotal })}
        </label>
      ) : null}
      <Button type="submit" variant="primary" disabled={counting.pending}>{t("anonymiseSelected")}</Button>
      {counting.failure ? <span role="alert" className="text-danger">{counting.failure.message}</span> : null}
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} className="m-auto w-full max-w-lg rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        <h2 id={`${ids}-title`} className="text-lg font-semibold">{t("dryRunTitle")}</h2>
        {!dryRun ? <p role="status" className="mt-2 text-muted">{t("counting")}</p> : (
          <>
            <ul className="mt-2 list-disc pl-5">
              <li>{t.rich("people", { count: dryRun.people, strong })}{dryRun.selected !== dryRun.people ? t("notEligibleSkipped", { skipped: f.number(dryRun.selected - dryRun.people), selected: f.number(dryRun.selected) }) : ""}</li>
              {dryRun.alreadyQueued ? <li>{t("alreadyQueued", { count: dryRun.alreadyQueued })}</li> : null}
              <li>{t.rich("tickets", { count: dryRun.tickets, strong })}</li>
              <li>{t.rich("messages", { count: dryRun.messages, strong })}</li>
            </ul>
            <p className="mt-2 text-sm text-muted">{t("note")}</p>
            <label htmlFor={`${ids}-reference`} className="mt-3 block font-medium">{t("referenceLabel")}</label>
            <input id={`${ids}-reference`} value={reference} maxLength={200} onChange={(e) => setReference(e.target.value)}
              onKeyDown={(e) => { if (e.key === "Enter") e.preventDefault(); }} aria-describedby={`${ids}-reference-hint`} className="mt-1 w-full rounded border border-line px-2 py-1" />
            <p id={`${ids}-reference-hint`} className="text-sm text-muted">{t("referenceHint")}</p>
          </>
        )}
        <div className="mt-4 flex flex-wrap items-center justify-end gap-2">
          <Button type="button" onClick={() => dialog.current?.close()}>{t("cancel")}</Button>
          <ActionButton
            variant="danger"
            disabled={!selection || !dryRun || dryRun.people === 0}
            action={() => createBulkAction(selection && { ...selection, ...(reference.trim() ? { reference } : {}) })}
            onSuccess={(batch) => { dialog.current?.close(); router.push(`/privacy/review?batch=${batch.batchId}`); }}
            messageClassName="order-first basis-full"
          >
            {dryRun ? t("anonymiseCount", { count: dryRun.people }) : t("anonymise")}
          </ActionButton>
        </div>
      </dialog>
    </form>
  );
}

// `canOpenTasks`: the task monitor is for data-privacy administrators; a reviewer is never
// shown a link to a page that would refuse them.
export function BatchProgress({ batch, canOpenTasks }: { batch: { batchId: string; total: number; byStatus: Partial<Record<string, number>> }; canOpenTasks: boolean }) {
  const t = useTranslations("review.batch");
  const f = useFormats();
  const done = (batch.byStatus.completed ?? 0) + (batch.byStatus.failed ?? 0) + (batch.byStatus.cancelled ?? 0);
  const percent = batch.total ? Math.round((done / batch.total) * 100) : 100;
  const finished = done === batch.total;
  return (
    <div role="status" className="mb-4 rounded border border-line p-3">
      <p className="font-semibold">{finished ? t("finished") : t("inProgress")}</p>
      <progress aria-label={t("progressLabel")} max={100} value={percent} className="meter mt-2 w-full max-w-md" />
      <p className="mt-1 text-sm text-muted">
        {t("summary", {
          done: f.number(done), total: f.number(batch.total), queued: f.number(batch.byStatus.queued ?? 0), running: f.number(batch.byStatus.running ?? 0),
          completed: f.number(batch.byStatus.completed ?? 0), failed: f.number(batch.byStatus.failed ?? 0), cancelled: f.number(batch.byStatus.cancelled ?? 0),
        })}{" "}
        {canOpenTasks ? <Link href={`/privacy?batch=${batch.batchId}`}>{t("seeTasks")}</Link> : null}
      </p>
      {batch.byStatus.queued ? <CancelBatch batchId={batch.batchId} queued={batch.byStatus.queued} /> : null}
    </div>
  );
}

function CancelBatch({ batchId, queued }: { batchId: string; queued: number }) {
  const t = useTranslations("review.batch");
  return (
    <p className="mt-2 flex items-center gap-2">
      <ActionButton action={() => cancelBatchAction(batchId)} success={(data) => t("cancelled", { count: data.cancelled })} refresh messageClassName="text-sm">
        {t("cancelQueued", { count: queued })}
      </ActionButton>
    </p>
  );
}

export function PreventFromList({ personId, name }: { personId: number; name: string }) {
  const t = useTranslations("review.prevent");
  const ids = useId();
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const { form, submit, reset, pending, failure, errors } = useActionForm(preventionInputSchema, { personId, reason: "" });
  const onSubmit = submit(preventFromReviewAction, { onSuccess: () => { reset(); dialog.current?.close(); router.refresh(); } });
  const error = failure?.message ?? (errors.reason ? t("reasonError", { message: errors.reason }) : null);
  return (
    <>
      <Button type="button" className="!px-2 !py-0.5 text-xs" onClick={() => dialog.current?.showModal()} aria-label={t("ariaLabel", { name })} aria-haspopup="dialog">
        {t("button")}
      </Button>
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} className="m-auto w-full max-w-md rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        <form onSubmit={onSubmit}>
          <h2 id={`${ids}-title`} className="text-lg font-semibold">{t("title", { name })}</h2>
          <p className="text-sm text-muted">{t("body")}</p>
          <label htmlFor={`${ids}-reason`} className="mt-3 block font-medium">{t("reason")}</label>
          <input id={`${ids}-reason`} {...form.register("reason")} required maxLength={500} aria-invalid={errors.reason ? true : undefined} className="mt-1 w-full rounded border border-line px-2 py-1" />
          {error ? <p role="alert" className="mt-2 text-danger">{error}</p> : null}
          <div className="mt-4 flex justify-end gap-2">
            <Button type="button" onClick={() => dialog.current?.close()}>{t("cancel")}</Button>
            <Button type="submit" variant="primary" disabled={pending || !String(form.watch("reason") ?? "").trim()}>{t("submit")}</Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
