"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { PersonSearch } from "@/app/_components/person-search";
import { useFormats } from "@/app/_components/format-client";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { requestDueDate } from "@/lib/requests/clock";
import { extensionSchema, updateRequestSchema } from "@/lib/requests/schemas";
import { confirmRequestIdentityAction, extendRequestAction, searchPeopleForRequestAction, updateRequestAction, withdrawRequestAction } from "../actions";

const input = "mt-1 w-full rounded border border-line px-2 py-1.5 aria-invalid:border-danger";

/** Assignee and notes of an open request. */
export function RequestDetailsForm({ requestId, assignees, assigneeAccountId, notes }: {
  requestId: number; assignees: { id: number; email: string }[]; assigneeAccountId: number | null; notes: string;
}) {
  const t = useTranslations("requests");
  const router = useRouter();
  const { form, submit, pending, failure, done, errors } = useActionForm(updateRequestSchema, {
    requestId, assigneeAccountId: assigneeAccountId === null ? "" : String(assigneeAccountId), notes,
  });
  const save = submit((values) => updateRequestAction(values), { success: () => t("detail.saved"), onSuccess: () => router.refresh() });
  const listed = assigneeAccountId === null || assignees.some((a) => a.id === assigneeAccountId);
  return (
    <form onSubmit={save} noValidate className="max-w-3xl space-y-3">
      <div className="max-w-sm">
        <label htmlFor="request-assignee" className="block text-sm font-medium">{t("detail.assignee")}</label>
        <select id="request-assignee" {...form.register("assigneeAccountId")} aria-invalid={errors.assigneeAccountId ? true : undefined} className={input}>
          <option value="">{t("unassigned")}</option>
          {!listed ? <option value={String(assigneeAccountId)}>{t("detail.formerAssignee", { id: String(assigneeAccountId) })}</option> : null}
          {assignees.map((a) => <option key={a.id} value={a.id}>{a.email}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="request-notes" className="block text-sm font-medium">{t("detail.notes")}</label>
        <textarea id="request-notes" rows={4} maxLength={5000} {...form.register("notes")} aria-invalid={errors.notes ? true : undefined} className={input} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>{t("detail.save")}</Button>
        {failure || Object.keys(errors).length
          ? <span role="alert" className="text-danger">{failure?.message ?? Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join("; ")}</span>
          : done ? <span role="status" className="text-ok">{done}</span> : null}
      </div>
    </form>
  );
}

type PersonChoice = { id: number; name: string | null; email: string | null };

/** Confirms who the requester is: one of the people their address matched, or anyone found by search. */
export function ConfirmIdentity({ requestId, matched, current }: { requestId: number; matched: PersonChoice[]; current: PersonChoice | null }) {
  const t = useTranslations("requests.identity");
  const router = useRouter();
  const [picked, setPicked] = useState<PersonChoice | null>(null);
  const choices = [...(current ? [current] : []), ...matched.filter((m) => m.id !== current?.id)];
  const label = (p: PersonChoice) => p.name ?? `#${p.id}`;
  const confirmButton = (p: PersonChoice) => (
    <ActionButton
      action={() => confirmRequestIdentityAction({ requestId, personId: p.id })}
      confirm={t("confirmQuestion", { name: label(p) })}
      onSuccess={() => router.refresh()}
      variant="primary"
      aria-label={t("confirmAs", { name: label(p) })}
    >
      {t("confirm")}
    </ActionButton>
  );
  return (
    <div className="rounded border border-line p-3">
      <h3 className="font-semibold">{t("title")}</h3>
      <p className="mb-2 text-sm text-muted">{t("hint")}</p>
      {choices.length ? (
        <ul aria-label={t("candidates")} className="mb-3 divide-y divide-line rounded border border-line">
          {choices.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-1.5">
              <span>{label(p)}{p.email ? <span className="text-muted"> · {p.email}</span> : null}</span>
              <span>{confirmButton(p)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {picked && !choices.some((c) => c.id === picked.id) ? (
        <div className="mb-2 flex flex-wrap items-center gap-2 rounded border border-line bg-panel px-3 py-1.5">
          <span>{label(picked)}{picked.email ? <span className="text-muted"> · {picked.email}</span> : null}</span>
          {confirmButton(picked)}
        </div>
      ) : null}
      <PersonSearch search={searchPeopleForRequestAction} words="requests.picker" labelClassName="block text-sm font-medium" inputClassName="py-1.5" label={t("searchLabel")} onPick={(p) => setPicked({ id: p.id, name: p.name || null, email: p.email })} />
    </div>
  );
}

/** The one extension: 1 or 2 months with a reason; the dialog names the new due date before it is confirmed. */
export function ExtendRequest({ requestId, receivedAt, pausedDays, paused, timeZone }: {
  requestId: number; receivedAt: string; pausedDays: number; paused: boolean; timeZone: string;
}) {
  const t = useTranslations("requests.extend");
  const f = useFormats();
  const router = useRouter();
  const ref = useRef<HTMLDialogElement>(null);
  const { form, submit, pending, failure, errors, reset } = useActionForm(extensionSchema, { months: "2", reason: "" });
  const months = Number(form.watch("months")) === 1 ? 1 : 2;
  const newDue = requestDueDate({ receivedAt: new Date(receivedAt), timeZone, extensionMonths: months, pausedDays });
  const close = () => { ref.current?.close(); reset(); };
  const save = submit((values) => extendRequestAction({ ...values, requestId }), { onSuccess: () => { close(); router.refresh(); } });
  return (
    <>
      <Button type="button" onClick={() => ref.current?.showModal()} aria-haspopup="dialog">{t("open")}</Button>
      <dialog ref={ref} aria-labelledby="extend-title" className="m-auto w-full max-w-lg rounded-lg border border-line p-0 shadow-xl backdrop:bg-black/30">
        <form onSubmit={save} noValidate className="space-y-3 p-4">
          <h2 id="extend-title" className="text-base font-semibold">{t("title")}</h2>
          <p className="text-sm text-muted">{t("hint")}</p>
          <div>
            <label htmlFor="extend-months" className="block text-sm font-medium">{t("months")}</label>
            <select id="extend-months" {...form.register("months")} aria-invalid={errors.months ? true : undefined} className={input}>
              <option value="1">{t("monthsOption", { months: 1 })}</option>
              <option value="2">{t("monthsOption", { months: 2 })}</option>
            </select>
          </div>
          <div>
            <label htmlFor="extend-reason" className="block text-sm font-medium">{t("reason")}</label>
            <textarea id="extend-reason" rows={4} maxLength={2000} {...form.register("reason")} aria-invalid={errors.reason ? true : undefined}
              aria-describedby={`extend-reason-hint${errors.reason ? " extend-reason-error" : ""}`} className={input} />
            <p id="extend-reason-hint" className="mt-1 text-xs text-muted">{t("reasonHint")}</p>
            {errors.reason ? <p id="extend-reason-error" className="text-sm text-danger">{t("reasonError", { error: errors.reason })}</p> : null}
          </div>
          <p role="status" className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-warn">
            {paused ? t("newDuePaused", { due: f.day(newDue) }) : t("newDue", { due: f.day(newDue) })}
          </p>
          {failure ? <p role="alert" className="text-danger">{failure.message}</p> : null}
          <div className="flex justify-end gap-2">
            <Button type="button" onClick={close}>{t("cancel")}</Button>
            <Button type="submit" variant="primary" disabled={pending}>{t("confirm", { due: f.day(newDue) })}</Button>
          </div>
        </form>
      </dialog>
    </>
  );
}

export function WithdrawRequest({ requestId }: { requestId: number }) {
  const t = useTranslations("requests.withdraw");
  const router = useRouter();
  return (
    <span>
      <ActionButton action={() => withdrawRequestAction({ requestId })} confirm={t("confirm", { id: String(requestId) })} onSuccess={() => router.refresh()}>
        {t("button")}
      </ActionButton>
    </span>
  );
}
