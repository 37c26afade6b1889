"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { preventionInputSchema } from "@/lib/privacy/prevention/schemas";
import { createAnonymisationTaskSchema } from "@/lib/privacy/tasks/schemas";
import { anonymisePersonAction, liftPreventionAction, preventAnonymisationAction } from "../privacy-actions";

/** Dates are calendar days in the organisation's time zone; `expiresOn` is the last day it holds. */
export type PreventionView = { reason: string | null; by: string | null; sinceOn: string; expiresOn: string | null } | null;

/** Field messages continue the label ("Expiry must be in the future"). */
function FieldError({ id, label, message }: { id: string; label: string; message?: string }) {
  if (!message) return null;
  return <p id={id} className="text-sm text-danger">{label} {message}</p>;
}

/** "Prevent anonymisation": a reason, an optional expiry, who and when; can be lifted. */
export function PreventionControl({ personId, prevention, canPrevent }: { personId: number; prevention: PreventionView; canPrevent: boolean }) {
  const ids = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  // Each attempt starts without the previous one's error, so none outlives a success.
  const { form, submit, reset, pending, failure, errors } = useActionForm(preventionInputSchema, { personId, reason: "", expiresAt: "" });

  if (prevention) {
    return (
      <div className="rounded border border-amber-200 bg-amber-50 p-3">
        <p className="font-semibold text-warn">Anonymisation is prevented</p>
        <p className="text-sm">
          {prevention.reason} — set by {prevention.by ?? "an administrator"} on {prevention.sinceOn}
          {prevention.expiresOn ? `, until ${prevention.expiresOn} (inclusive)` : ", without expiry"}.
        </p>
        {canPrevent ? (
          <ActionButton className="mt-2" action={() => liftPreventionAction({ personId })} refresh messageClassName="mt-1 block text-sm">Lift prevention</ActionButton>
        ) : null}
      </div>
    );
  }
  if (!canPrevent) return null;
  if (!open) return <Button type="button" onClick={() => { reset(); setOpen(true); }}>Prevent anonymisation</Button>;
  const onSubmit = submit(preventAnonymisationAction, { onSuccess: () => { setOpen(false); reset(); router.refresh(); } });
  return (
    <form className="space-y-2 rounded border border-line p-3" onSubmit={onSubmit}>
      <div>
        <label htmlFor={`${ids}-reason`} className="block font-medium">Reason</label>
        <input id={`${ids}-reason`} {...form.register("reason")} required maxLength={500} placeholder="e.g. legal hold, pending claim"
          aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? `${ids}-reason-error` : undefined} className="mt-1 w-full rounded border border-line px-2 py-1" />
        <FieldError id={`${ids}-reason-error`} label="Reason" message={errors.reason} />
      </div>
      <div>
        <label htmlFor={`${ids}-expires`} className="block font-medium">Expires on (optional)</label>
        <input id={`${ids}-expires`} type="date" {...form.register("expiresAt")}
          aria-invalid={errors.expiresAt ? true : undefined} aria-describedby={errors.expiresAt ? `${ids}-expires-error` : undefined} className="mt-1 rounded border border-line px-2 py-1" />
        <p className="text-sm text-muted">The prevention holds through this day, then lapses.</p>
        <FieldError id={`${ids}-expires-error`} label="Expiry" message={errors.expiresAt} />
      </div>
      {failure && !errors.reason && !errors.expiresAt ? <p role="alert" className="text-sm text-danger">{failure.message}</p> : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={pending || !String(form.watch("reason") ?? "").trim()}>Prevent anonymisation</Button>
        <Button type="button" onClick={() => { reset(); setOpen(false); }}>Cancel</Button>
      </div>
    </form>
  );
}

/** "Anonymise": a confirmation that says what will happen, then a queued task. */
export function AnonymiseControl({ personId, name, eligible, blockedReason }: { personId: number; name: string; eligible: boolean; blockedReason?: string }) {
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [taskId, setTaskId] = useState<number | null>(null);
  const { form, submit, pending, failure, errors } = useActionForm(createAnonymisationTaskSchema, { personId, reason: "" });
  const onSubmit = submit(anonymisePersonAction, { onSuccess: (task) => setTaskId(task.id) });
  const error = failure?.message ?? (errors.reason ? `Reason: ${errors.reason}` : null);
  return (
    <>
      <Button type="button" variant="danger" disabled={!eligible} title={eligible ? undefined : blockedReason} onClick={() => dialog.current?.showModal()} aria-haspopup="dialog">
        Anonymise
      </Button>
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} className="m-auto w-full max-w-lg rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        {taskId ? (
          <>
            <h2 id={`${ids}-title`} className="text-lg font-semibold">Anonymisation queued</h2>
            <p role="status" className="mt-2">Task #{taskId} will anonymise this person when the worker next runs (within minutes).</p>
            <div className="mt-4 flex gap-2">
              <Link href={`/privacy/tasks/${taskId}`} className="rounded border border-accent bg-accent px-3 py-1.5 text-white no-underline">Open task #{taskId}</Link>
              <Button type="button" onClick={() => { dialog.current?.close(); router.refresh(); }}>Close</Button>
            </div>
          </>
        ) : (
          <form onSubmit={onSubmit}>
            <h2 id={`${ids}-title`} className="text-lg font-semibold">Anonymise {name}?</h2>
            <ul className="mt-2 list-disc pl-5 text-sm">
              <li>The name becomes “Anonymized”; e-mail, phone, address, date of birth, external id and custom fields are removed or reduced as the settings say.</li>
              <li>Every message they sent or received, or that mentions their e-mail address, is blanked; their address leaves every cc and bcc list; IP addresses are cleared.</li>
              <li>Enrolments, loans, invoices and tickets stay for statistics, without anything that identifies them.</li>
              <li>This cannot be undone.</li>
            </ul>
            <label htmlFor={`${ids}-reason`} className="mt-3 block font-medium">Reason (optional)</label>
            <input id={`${ids}-reason`} {...form.register("reason")} maxLength={500} placeholder="No personal details, please" aria-invalid={errors.reason ? true : undefined} className="mt-1 w-full rounded border border-line px-2 py-1" />
            {error ? <p role="alert" className="mt-2 text-danger">{error}</p> : null}
            <div className="mt-4 flex justify-end gap-2">
              <Button type="button" onClick={() => dialog.current?.close()}>Cancel</Button>
              <Button type="submit" variant="danger" disabled={pending}>Anonymise {name}</Button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}
