"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { useAction } from "@/app/_components/use-action";
import { useActionForm } from "@/app/_components/use-action-form";
import { preventionInputSchema } from "@/lib/privacy/prevention/schemas";
import type { BulkDryRun } from "@/lib/privacy/tasks/bulk-selection";
import { cancelBatchAction, createBulkAction, dryRunBulkAction, preventFromReviewAction } from "./actions";

const FORM_ID = "review-selection";

function checkedIds() {
  return Array.from(document.querySelectorAll<HTMLInputElement>(`input[form="${FORM_ID}"][name="personIds"]:checked`)).map((i) => Number(i.value));
}

export function SelectRow({ id, name }: { id: number; name: string }) {
  return <input type="checkbox" form={FORM_ID} name="personIds" value={id} aria-label={`Select ${name}`} />;
}

type Filters = { kind?: string; organisationId?: number; imported?: boolean };
type Selection = { personIds: number[] } | { allEligible: true; filters?: Filters };

/** Select, see a dry run of what will be touched, confirm, and queue the bulk run. */
export function BulkBar({ eligibleTotal, filters }: { eligibleTotal: number | null; filters: Filters }) {
  const ids = useId();
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [allAcrossPages, setAllAcrossPages] = useState(false);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [dryRun, setDryRun] = useState<BulkDryRun | null>(null);
  const counting = useAction();

  function review() {
    const cleaned = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
    const chosen: Selection = allAcrossPages ? { allEligible: true, ...(Object.keys(cleaned).length ? { filters: cleaned } : {}) } : { personIds: checkedIds() };
    if ("personIds" in chosen && chosen.personIds.length === 0) return counting.run(() => ({ ok: false, message: "Select at least one profile, or all eligible profiles." }));
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
          Select all {eligibleTotal.toLocaleString("en")} eligible profiles (every page)
        </label>
      ) : null}
      <Button type="submit" variant="primary" disabled={counting.pending}>Anonymise selected…</Button>
      {counting.failure ? <span role="alert" className="text-danger">{counting.failure.message}</span> : null}
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} className="m-auto w-full max-w-lg rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        <h2 id={`${ids}-title`} className="text-lg font-semibold">Dry run: what this anonymisation will touch</h2>
        {!dryRun ? <p role="status" className="mt-2 text-muted">Counting…</p> : (
          <>
            <ul className="mt-2 list-disc pl-5">
              <li><strong>{dryRun.people.toLocaleString("en")}</strong> people will be anonymised{dryRun.selected !== dryRun.people ? ` (${(dryRun.selected - dryRun.people).toLocaleString("en")} of the ${dryRun.selected.toLocaleString("en")} selected are no longer eligible and are skipped)` : ""}</li>
              {dryRun.alreadyQueued ? <li>{dryRun.alreadyQueued.toLocaleString("en")} already have a queued task and are skipped</li> : null}
              <li><strong>{dryRun.tickets.toLocaleString("en")}</strong> tickets lose their reporter's personal data</li>
              <li><strong>{dryRun.messages.toLocaleString("en")}</strong> messages are blanked or lose an address</li>
            </ul>
            <p className="mt-2 text-sm text-muted">The work is queued as one task per person and runs in batches; you can follow its progress here. It cannot be undone.</p>
          </>
        )}
        <div className="mt-4 flex flex-wrap items-center justify-end gap-2">
          <Button type="button" onClick={() => dialog.current?.close()}>Cancel</Button>
          <ActionButton
            variant="danger"
            disabled={!selection || !dryRun || dryRun.people === 0}
            action={() => createBulkAction(selection)}
            onSuccess={(batch) => { dialog.current?.close(); router.push(`/privacy/review?batch=${batch.batchId}`); }}
            messageClassName="order-first basis-full"
          >
            {dryRun ? `Anonymise ${dryRun.people.toLocaleString("en")} people` : "Anonymise"}
          </ActionButton>
        </div>
      </dialog>
    </form>
  );
}

// `canOpenTasks`: the task monitor is for data-privacy administrators; a reviewer is never
// shown a link to a page that would refuse them.
export function BatchProgress({ batch, canOpenTasks }: { batch: { batchId: string; total: number; byStatus: Partial<Record<string, number>> }; canOpenTasks: boolean }) {
  const done = (batch.byStatus.completed ?? 0) + (batch.byStatus.failed ?? 0) + (batch.byStatus.cancelled ?? 0);
  const percent = batch.total ? Math.round((done / batch.total) * 100) : 100;
  const finished = done === batch.total;
  return (
    <div role="status" className="mb-4 rounded border border-line p-3">
      <p className="font-semibold">{finished ? "Bulk anonymisation finished" : "Bulk anonymisation in progress"}</p>
      <progress aria-label="Bulk anonymisation progress" max={100} value={percent} className="meter mt-2 w-full max-w-md" />
      <p className="mt-1 text-sm text-muted">
        {done.toLocaleString("en")} of {batch.total.toLocaleString("en")} tasks done — queued {batch.byStatus.queued ?? 0}, running {batch.byStatus.running ?? 0}, completed {batch.byStatus.completed ?? 0}, failed {batch.byStatus.failed ?? 0}, cancelled {batch.byStatus.cancelled ?? 0}.{" "}
        {canOpenTasks ? <Link href={`/privacy?batch=${batch.batchId}`}>See the tasks</Link> : null}
      </p>
      {batch.byStatus.queued ? <CancelBatch batchId={batch.batchId} queued={batch.byStatus.queued} /> : null}
    </div>
  );
}

function CancelBatch({ batchId, queued }: { batchId: string; queued: number }) {
  return (
    <p className="mt-2 flex items-center gap-2">
      <ActionButton action={() => cancelBatchAction(batchId)} success={(data) => `${data.cancelled} queued task(s) cancelled.`} refresh messageClassName="text-sm">
        Cancel the {queued.toLocaleString("en")} queued task(s)
      </ActionButton>
    </p>
  );
}

export function PreventFromList({ personId, name }: { personId: number; name: string }) {
  const ids = useId();
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const { form, submit, reset, pending, failure, errors } = useActionForm(preventionInputSchema, { personId, reason: "" });
  const onSubmit = submit(preventFromReviewAction, { onSuccess: () => { reset(); dialog.current?.close(); router.refresh(); } });
  const error = failure?.message ?? (errors.reason ? `Reason ${errors.reason}` : null);
  return (
    <>
      <Button type="button" className="!px-2 !py-0.5 text-xs" onClick={() => dialog.current?.showModal()} aria-label={`Prevent anonymisation of ${name}`} aria-haspopup="dialog">
        Prevent
      </Button>
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} className="m-auto w-full max-w-md rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        <form onSubmit={onSubmit}>
          <h2 id={`${ids}-title`} className="text-lg font-semibold">Prevent anonymisation of {name}</h2>
          <p className="text-sm text-muted">The profile leaves the review list and every schedule until the prevention is lifted. Changing or lifting it later is for staff, on the person's page.</p>
          <label htmlFor={`${ids}-reason`} className="mt-3 block font-medium">Reason</label>
          <input id={`${ids}-reason`} {...form.register("reason")} required maxLength={500} aria-invalid={errors.reason ? true : undefined} className="mt-1 w-full rounded border border-line px-2 py-1" />
          {error ? <p role="alert" className="mt-2 text-danger">{error}</p> : null}
          <div className="mt-4 flex justify-end gap-2">
            <Button type="button" onClick={() => dialog.current?.close()}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={pending || !String(form.watch("reason") ?? "").trim()}>Prevent anonymisation</Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
