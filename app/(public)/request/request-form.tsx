"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui";
import { REQUEST_TYPES } from "@/db/schema/requests";
import type { RequestFormState } from "@/lib/requests/public/form-state";
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH, type PublicRequestField } from "@/lib/requests/public/schema";
import { submitRequestAction } from "./actions";

const input = "mt-1 w-full rounded border border-line px-2 py-1.5 aria-invalid:border-danger";

export function RequestForm({ organisation }: { organisation: string }) {
  const [state, action, pending] = useActionState<RequestFormState, FormData>(submitRequestAction, { status: "idle" });
  return <RequestFormView state={state} action={action} pending={pending} organisation={organisation} />;
}

/** The form, or what follows its submission: a function of the state alone. */
export function RequestFormView({ state, action, pending, organisation }: {
  state: RequestFormState; action: (formData: FormData) => void; pending: boolean; organisation: string;
}) {
  const t = useTranslations("requestForm");
  if (state.status === "sent") {
    return (
      <div role="status">
        <h1 className="text-lg font-semibold">{t("sent.title")}</h1>
        <p className="mt-2">{t("sent.body")}</p>
        <p className="mt-2 text-muted">{t("sent.noMail")}</p>
      </div>
    );
  }
  const values = state.status === "idle" ? { email: "", type: "", name: "", text: "" } : state.values;
  const invalid = (field: PublicRequestField) => state.status === "invalid" && state.fields.includes(field);
  const errorText: Record<PublicRequestField, string> = {
    email: t("errors.email"), type: t("errors.type"), name: t("errors.name", { max: MAX_NAME_LENGTH }), text: t("errors.text", { max: MAX_TEXT_LENGTH }),
  };
  const describedBy = (field: PublicRequestField, hint?: string) => [hint, invalid(field) ? `request-${field}-error` : null].filter(Boolean).join(" ") || undefined;
  const error = (field: PublicRequestField) =>
    invalid(field) ? <p id={`request-${field}-error`} className="mt-1 text-sm text-danger">{errorText[field]}</p> : null;
  return (
    <>
      <h1 className="text-lg font-semibold">{t("title")}</h1>
      <p className="mt-1">{t("intro", { organisation })}</p>
      <p className="mt-1 mb-4 text-muted">{t("howItWorks")}</p>
      {state.status === "rate_limited" ? (
        <p role="alert" className="mb-4 rounded border border-red-200 bg-red-50 px-3 py-2 text-danger">{t("errors.rateLimited")}</p>
      ) : null}
      {state.status === "invalid" ? (
        <p role="alert" className="mb-4 rounded border border-red-200 bg-red-50 px-3 py-2 text-danger">{t("errors.summary")}</p>
      ) : null}
      {/* Keyed by the state, so that the fields show the values given back after a refusal. */}
      <form key={JSON.stringify(values)} action={action} className="space-y-4" noValidate>
        <div>
          <label htmlFor="request-email" className="block font-medium">{t("fields.email")}</label>
          <input id="request-email" name="email" type="email" autoComplete="email" required maxLength={MAX_EMAIL_LENGTH}
            defaultValue={values.email} aria-invalid={invalid("email") || undefined} aria-describedby={describedBy("email", "request-email-hint")} className={input} />
          <p id="request-email-hint" className="mt-1 text-sm text-muted">{t("fields.emailHint")}</p>
          {error("email")}
        </div>
        <fieldset aria-describedby={describedBy("type")}>
          <legend className="font-medium">{t("fields.type")}</legend>
          <div className="mt-1 space-y-1">
            {REQUEST_TYPES.map((type) => (
              <div key={type} className="flex items-start gap-2">
                <input id={`request-type-${type}`} type="radio" name="type" value={type} defaultChecked={values.type === type} required
                  aria-invalid={invalid("type") || undefined} className="mt-1" />
                <label htmlFor={`request-type-${type}`}>
                  <span className="font-medium">{t(`types.${type}.label`)}</span>
                  <span className="text-muted"> — {t(`types.${type}.description`)}</span>
                </label>
              </div>
            ))}
          </div>
          {error("type")}
        </fieldset>
        <div>
          <label htmlFor="request-name" className="block font-medium">{t("fields.name")}</label>
          <input id="request-name" name="name" autoComplete="name" maxLength={MAX_NAME_LENGTH} defaultValue={values.name}
            aria-invalid={invalid("name") || undefined} aria-describedby={describedBy("name")} className={input} />
          {error("name")}
        </div>
        <div>
          <label htmlFor="request-text" className="block font-medium">{t("fields.text")}</label>
          <textarea id="request-text" name="text" rows={5} maxLength={MAX_TEXT_LENGTH} defaultValue={values.text}
            aria-invalid={invalid("text") || undefined} aria-describedby={describedBy("text", "request-text-hint")} className={input} />
          <p id="request-text-hint" className="mt-1 text-sm text-muted">{t("fields.textHint", { max: MAX_TEXT_LENGTH })}</p>
          {error("text")}
        </div>
        <Button type="submit" variant="primary" disabled={pending}>{pending ? t("submitting") : t("submit")}</Button>
      </form>
    </>
  );
}
