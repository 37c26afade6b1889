"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { useFormats } from "@/app/_components/format-client";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { liftPreventionInputSchema, preventionInputSchema } from "@/lib/privacy/prevention/schemas";
import { createAnonymisationTaskSchema } from "@/lib/privacy/tasks/schemas";
import { anonymisePersonAction, liftPreventionAction, preventAnonymisationAction } from "../privacy-actions";

/** Dates are calendar days in the organisation's time zone; `expiresOn` is the last day it holds. */
export type PreventionView = { reason: string | null; by: string | null; sinceOn: string; expiresOn: string | null } | null;

/** Field messages continue the label ("Expiry must be in the future"). */
function FieldError({ id, label, message }: { id: string; label: string; message?: string }) {
  if (!message) return null;
  return <p id={id} className="text-sm text-danger">{label} {message}</p>;
}

/**
 * "Prevent anonymisation": a reason, an optional expiry, who and when. A prevention is a
 * hold: it also blocks deletion and retention rules on the person's tickets. Lifting it
 * asks for a reason, kept on the profile's hold history and in the audit log.
 */
export function PreventionControl({ personId, prevention, canPrevent }: { personId: number; prevention: PreventionView; canPrevent: boolean }) {
  const t = useTranslations("profile.prevention");
  const f = useFormats();
  const ids = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  // Each attempt starts without the previous one's error, so none outlives a success.
  const { form, submit, reset, pending, failure, errors } = useActionForm(preventionInputSchema, { personId, reason: "", expiresAt: "" });

  if (prevention) {
    const by = prevention.by ?? t("anAdministrator");
    return (
      <div className="rounded border border-amber-200 bg-amber-50 p-3">
        <p className="font-semibold text-warn">{t("prevented")}</p>
        <p className="text-sm">{t("holdEffect")}</p>
        <p className="text-sm">
          {prevention.expiresOn
            ? t("summaryUntil", { reason: prevention.reason ?? "", by, since: f.day(prevention.sinceOn), until: f.day(prevention.expiresOn) })
            : t("summary", { reason: prevention.reason ?? "", by, since: f.day(prevention.sinceOn) })}
        </p>
        {canPrevent ? <LiftPreventionForm personId={personId} /> : null}
      </div>
    );
  }
  if (!canPrevent) return null;
  if (!open) return <Button type="button" onClick={() => { reset(); setOpen(true); }}>{t("prevent")}</Button>;
  const onSubmit = submit(preventAnonymisationAction, { onSuccess: () => { setOpen(false); reset(); router.refresh(); } });
  return (
    <form className="space-y-2 rounded border border-line p-3" onSubmit={onSubmit}>
      <div>
        <label htmlFor={`${ids}-reason`} className="block font-medium">{t("reason")}</label>
        <input id={`${ids}-reason`} {...form.register("reason")} required maxLength={500} placeholder={t("reasonPlaceholder")}
          aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? `${ids}-reason-error` : undefined} className="mt-1 w-full rounded border border-line px-2 py-1" />
        <FieldError id={`${ids}-reason-error`} label={t("reason")} message={errors.reason} />
      </div>
      <div>
        <label htmlFor={`${ids}-expires`} className="block font-medium">{t("expiresOn")}</label>
        <input id={`${ids}-expires`} type="date" {...form.register("expiresAt")}
          aria-invalid={errors.expiresAt ? true : undefined} aria-describedby={errors.expiresAt ? `${ids}-expires-error` : undefined} className="mt-1 rounded border border-line px-2 py-1" />
        <p className="text-sm text-muted">{t("expiresHint")}</p>
        <FieldError id={`${ids}-expires-error`} label={t("expiry")} message={errors.expiresAt} />
      </div>
      {failure && !errors.reason && !errors.expiresAt ? <p role="alert" className="text-sm text-danger">{failure.message}</p> : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={pending || !String(form.watch("reason") ?? "").trim()}>{t("prevent")}</Button>
        <Button type="button" onClick={() => { reset(); setOpen(false); }}>{t("cancel")}</Button>
      </div>
    </form>
  );
}

/** "Lift prevention" opens a small form: the reason is required (SPEC §13). */
function LiftPreventionForm({ personId }: { personId: number }) {
  const t = useTranslations("profile.prevention");
  const ids = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const { form, submit, reset, pending, failure, errors } = useActionForm(liftPreventionInputSchema, { personId, reason: "" });
  if (!open) return <Button type="button" className="mt-2" onClick={() => { reset(); setOpen(true); }}>{t("lift")}</Button>;
  const onSubmit = submit(liftPreventionAction, { onSuccess: () => { setOpen(false); reset(); router.refresh(); } });
  return (
    <form className="mt-2 space-y-2 border-t border-amber-200 pt-2" onSubmit={onSubmit}>
      <div>
        <label htmlFor={`${ids}-lift-reason`} className="block font-medium">{t("liftReason")}</label>
        <input id={`${ids}-lift-reason`} {...form.register("reason")} required maxLength={500} placeholder={t("liftReasonPlaceholder")}
          aria-invalid={errors.reason ? true : undefined} aria-describedby={`${ids}-lift-hint${errors.reason ? ` ${ids}-lift-error` : ""}`} className="mt-1 w-full rounded border border-line bg-white px-2 py-1" />
        <p id={`${ids}-lift-hint`} className="text-sm text-muted">{t("liftHint")}</p>
        <FieldError id={`${ids}-lift-error`} label={t("reason")} message={errors.reason} />
      </div>
      {failure && !errors.reason ? <p role="alert" className="text-sm text-danger">{failure.message}</p> : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={pending || !String(form.watch("reason") ?? "").trim()}>{t("liftConfirm")}</Button>
        <Button type="button" onClick={() => { reset(); setOpen(false); }}>{t("cancel")}</Button>
      </div>
    </form>
  );
}

/** "Anonymise": a confirmation that says what will happen, then a queued task. */
export function AnonymiseControl({ personId, name, eligible, blockedReason }: { personId: number; name: string; eligible: boolean; blockedReason?: string }) {
  const t = useTranslations("profile.anonymise");
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [taskId, setTaskId] = useState<number | null>(null);
  const { form, submit, pending, failure, errors } = useActionForm(createAnonymisationTaskSchema, { personId, reason: "", reference: "" });
  const onSubmit = submit(anonymisePersonAction, { onSuccess: (task) => setTaskId(task.id) });
  const error = failure?.message ?? (errors.reason ? t("reasonError", { message: errors.reason })
    : errors.reference ? t("referenceError", { message: errors.reference }) : null);
  return (
    <>
      <Button type="button" variant="danger" disabled={!eligible} title={eligible ? undefined : blockedReason} onClick={() => dialog.current?.showModal()} aria-haspopup="dialog">
        {t("button")}
      </Button>
      <dialog ref={dialog} aria-labelledby={`${ids}-title`} className="m-auto w-full max-w-lg rounded-lg border border-line p-5 shadow-xl backdrop:bg-black/30">
        {taskId ? (
          <>
            <h2 id={`${ids}-title`} className="text-lg font-semibold">{t("queued")}</h2>
            <p role="status" className="mt-2">{t("queuedBody", { id: taskId })}</p>
            <div className="mt-4 flex gap-2">
              <Link href={`/privacy/tasks/${taskId}`} className="rounded border border-accent bg-accent px-3 py-1.5 text-white no-underline">{t("openTask", { id: taskId })}</Link>
              <Button type="button" onClick={() => { dialog.current?.close(); router.refresh(); }}>{t("close")}</Button>
            </div>
          </>
        ) : (
          <form onSubmit={onSubmit}>
            <h2 id={`${ids}-title`} className="text-lg font-semibold">{t("confirmTitle", { name })}</h2>
            <ul className="mt-2 list-disc pl-5 text-sm">
              <li>{t("effects.name")}</li>
              <li>{t("effects.messages")}</li>
              <li>{t("effects.records")}</li>
              <li>{t("effects.final")}</li>
            </ul>
            <label htmlFor={`${ids}-reason`} className="mt-3 block font-medium">{t("reasonLabel")}</label>
            <input id={`${ids}-reason`} {...form.register("reason")} maxLength={500} placeholder={t("reasonPlaceholder")} aria-invalid={errors.reason ? true : undefined} className="mt-1 w-full rounded border border-line px-2 py-1" />
            <label htmlFor={`${ids}-reference`} className="mt-3 block font-medium">{t("referenceLabel")}</label>
            <input id={`${ids}-reference`} {...form.register("reference")} maxLength={200} aria-describedby={`${ids}-reference-hint`} aria-invalid={errors.reference ? true : undefined} className="mt-1 w-full rounded border border-line px-2 py-1" />
            <p id={`${ids}-reference-hint`} className="text-sm text-muted">{t("referenceHint")}</p>
            {error ? <p role="alert" className="mt-2 text-danger">{error}</p> : null}
            <div className="mt-4 flex justify-end gap-2">
              <Button type="button" onClick={() => dialog.current?.close()}>{t("cancel")}</Button>
              <Button type="submit" variant="danger" disabled={pending}>{t("confirm", { name })}</Button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}
