"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { type PersonCandidate, PersonSearch } from "@/app/_components/person-search";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { REQUEST_CHANNELS, REQUEST_TYPES } from "@/db/schema/requests";
import { registerRequestSchema } from "@/lib/requests/schemas";
import { registerRequestAction, searchPeopleForRequestAction } from "../actions";

const FIELDS = ["type", "channel", "receivedAt", "personId", "requesterName", "requesterEmail", "assigneeAccountId", "notes", "identityConfirmed"] as const;
const input = "mt-1 w-full rounded border border-line px-2 py-1.5 aria-invalid:border-danger";

export function RegisterRequestForm({ now, assignees, me }: { now: string; assignees: { id: number; email: string }[]; me: number }) {
  const t = useTranslations("requests.form");
  const words = useTranslations("requests");
  const router = useRouter();
  const [person, setPerson] = useState<PersonCandidate | null>(null);
  const { form, submit, pending, failure, errors } = useActionForm(registerRequestSchema, {
    type: "access", channel: "email", receivedAt: now, personId: "", requesterName: "", requesterEmail: "",
    assigneeAccountId: assignees.some((a) => a.id === me) ? String(me) : "", notes: "", identityConfirmed: true,
  });
  const save = submit((values) => registerRequestAction(values), { onSuccess: (data) => router.push(`/requests/${data.id}`) });
  const fieldName = (field: string) => ((FIELDS as readonly string[]).includes(field) ? t(`fields.${field as (typeof FIELDS)[number]}`) : field);
  const invalid = Object.entries(errors).map(([field, error]) => t("fieldError", { field: fieldName(field), error })).join("; ");
  // Field errors, the server's included, are named by their labels; any other refusal in its own words.
  const error = invalid || (failure && !failure.fieldErrors ? failure.message : null);
  const describedBy = (field: string, hint?: string) => [hint, errors[field] ? `request-${field}-error` : null].filter(Boolean).join(" ") || undefined;
  const fieldError = (field: string) => (errors[field] ? <p id={`request-${field}-error`} className="mt-1 text-sm text-danger">{errors[field]}</p> : null);

  function pick(candidate: PersonCandidate | null) {
    setPerson(candidate);
    form.setValue("personId", candidate ? String(candidate.id) : "");
    form.clearErrors(["personId", "requesterEmail"]);
  }

  return (
    <form onSubmit={save} noValidate className="max-w-3xl space-y-4">
      <fieldset className="rounded border border-line p-3">
        <legend className="px-1 font-semibold">{t("requestLegend")}</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          <div>
            <label htmlFor="request-type" className="block text-sm font-medium">{t("fields.type")}</label>
            <select id="request-type" {...form.register("type")} aria-invalid={errors.type ? true : undefined} className={input}>
              {REQUEST_TYPES.map((type) => <option key={type} value={type}>{words(`types.${type}`)}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="request-channel" className="block text-sm font-medium">{t("fields.channel")}</label>
            <select id="request-channel" {...form.register("channel")} aria-invalid={errors.channel ? true : undefined} className={input}>
              {REQUEST_CHANNELS.map((c) => <option key={c} value={c}>{words(`channels.${c}`)}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="request-receivedAt" className="block text-sm font-medium">{t("fields.receivedAt")}</label>
            <input id="request-receivedAt" type="datetime-local" max={now} {...form.register("receivedAt")} aria-invalid={errors.receivedAt ? true : undefined}
              aria-describedby={describedBy("receivedAt", "request-receivedAt-hint")} className={input} />
            <p id="request-receivedAt-hint" className="mt-1 text-xs text-muted">{t("receivedAtHint")}</p>
            {fieldError("receivedAt")}
          </div>
        </div>
      </fieldset>

      <fieldset className="rounded border border-line p-3">
        <legend className="px-1 font-semibold">{t("requesterLegend")}</legend>
        <p className="mb-2 text-sm text-muted">{t("requesterHint")}</p>
        {person ? (
          <div className="flex flex-wrap items-center gap-3 rounded border border-line bg-panel px-3 py-2">
            <span>{t("chosenPerson", { name: person.name || `#${person.id}`, id: String(person.id) })}{person.email ? <span className="text-muted"> · {person.email}</span> : null}</span>
            <Button type="button" onClick={() => pick(null)}>{t("changePerson")}</Button>
          </div>
        ) : (
          <PersonSearch search={searchPeopleForRequestAction} words="requests.picker" labelClassName="block text-sm font-medium" inputClassName="py-1.5" onPick={pick} />
        )}
        {fieldError("personId")}
        {person ? (
          <div className="mt-2 flex items-start gap-2">
            <input id="request-identityConfirmed" type="checkbox" {...form.register("identityConfirmed")} className="mt-1" aria-describedby="request-identityConfirmed-hint" />
            <div>
              <label htmlFor="request-identityConfirmed">{t("fields.identityConfirmed")}</label>
              <p id="request-identityConfirmed-hint" className="text-xs text-muted">{t("identityHint")}</p>
            </div>
          </div>
        ) : null}
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor="request-requesterName" className="block text-sm font-medium">{t("fields.requesterName")}</label>
            <input id="request-requesterName" {...form.register("requesterName")} maxLength={200} autoComplete="off" aria-invalid={errors.requesterName ? true : undefined}
              aria-describedby={describedBy("requesterName")} className={input} />
            {fieldError("requesterName")}
          </div>
          <div>
            <label htmlFor="request-requesterEmail" className="block text-sm font-medium">{t("fields.requesterEmail")}</label>
            <input id="request-requesterEmail" type="email" {...form.register("requesterEmail")} maxLength={254} autoComplete="off" aria-invalid={errors.requesterEmail ? true : undefined}
              aria-describedby={describedBy("requesterEmail", "request-requesterEmail-hint")} className={input} />
            <p id="request-requesterEmail-hint" className="mt-1 text-xs text-muted">{t("requesterEmailHint")}</p>
            {fieldError("requesterEmail")}
          </div>
        </div>
      </fieldset>

      <fieldset className="rounded border border-line p-3">
        <legend className="px-1 font-semibold">{t("handlingLegend")}</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor="request-assigneeAccountId" className="block text-sm font-medium">{t("fields.assigneeAccountId")}</label>
            <select id="request-assigneeAccountId" {...form.register("assigneeAccountId")} aria-invalid={errors.assigneeAccountId ? true : undefined}
              aria-describedby={describedBy("assigneeAccountId")} className={input}>
              <option value="">{words("unassigned")}</option>
              {assignees.map((a) => <option key={a.id} value={a.id}>{a.email}</option>)}
            </select>
            {fieldError("assigneeAccountId")}
          </div>
        </div>
        <div className="mt-3">
          <label htmlFor="request-notes" className="block text-sm font-medium">{t("fields.notes")}</label>
          <textarea id="request-notes" rows={4} {...form.register("notes")} maxLength={5000} aria-invalid={errors.notes ? true : undefined}
            aria-describedby={describedBy("notes")} className={input} />
          {fieldError("notes")}
        </div>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>{t("submit")}</Button>
        {error ? <span role="alert" className="text-danger">{error}</span> : null}
      </div>
    </form>
  );
}
