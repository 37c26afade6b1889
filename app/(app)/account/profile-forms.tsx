"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { accountEmailSchema, accountNameSchema, accountPasswordSchema } from "@/lib/account/schemas";
import { changeAccountEmailAction, changeAccountNameAction, changeAccountPasswordAction } from "./actions";

const inputClass = "mt-1 w-full rounded border border-line px-2 py-1 aria-invalid:border-danger";

/** A labelled input whose error, when there is one, is read with it. */
function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: (aria: object) => ReactNode }) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": described })}
      {hint ? <p id={`${id}-hint`} className="mt-1 text-xs text-muted">{hint}</p> : null}
      {error ? <p id={`${id}-error`} className="mt-1 text-sm text-danger">{error}</p> : null}
    </div>
  );
}

function Outcome({ failure, done }: { failure: { message: string } | null; done: string | null }) {
  if (failure) return <p role="alert" className="text-sm text-danger">{failure.message}</p>;
  return done ? <p role="status" className="text-sm text-ok">{done}</p> : null;
}

const input = (registered: UseFormRegisterReturn, aria: object, props: object = {}) => <input {...registered} {...aria} {...props} className={inputClass} />;

export function NameForm({ firstName, lastName, hasPerson, locked }: { firstName: string; lastName: string; hasPerson: boolean; locked: boolean }) {
  const t = useTranslations("account");
  const router = useRouter();
  const { form, submit, pending, failure, done, errors } = useActionForm(accountNameSchema, { firstName, lastName });
  const save = submit(changeAccountNameAction, {
    success: (data) => (data.changed.length ? t("nameSaved") : t("nameUnchanged")),
    onSuccess: () => router.refresh(),
  });
  return (
    <form onSubmit={save} noValidate className="max-w-xl space-y-3" aria-describedby="name-help">
      <p id="name-help" className="text-sm text-muted">{locked ? t("nameLocked") : hasPerson ? t("nameHelp") : t("nameHelpNoPerson")}</p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="account-firstName" label={t("firstName")} error={errors.firstName}>
          {(aria) => input(form.register("firstName"), aria, { autoComplete: "given-name", maxLength: 100, disabled: locked })}
        </Field>
        <Field id="account-lastName" label={t("lastName")} error={errors.lastName}>
          {(aria) => input(form.register("lastName"), aria, { autoComplete: "family-name", maxLength: 100, disabled: locked })}
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending || locked}>{pending ? t("saving") : t("saveName")}</Button>
        <Outcome failure={failure} done={done} />
      </div>
    </form>
  );
}

export function EmailForm({ email }: { email: string }) {
  const t = useTranslations("account");
  const router = useRouter();
  const { form, submit, pending, failure, done, errors } = useActionForm(accountEmailSchema, { email, currentPassword: "" });
  const save = submit(changeAccountEmailAction, {
    success: (data) => (data.changed ? t("emailSaved", { sessions: data.sessionsEnded }) : t("emailUnchanged")),
    onSuccess: () => { form.setValue("currentPassword", ""); router.refresh(); },
  });
  return (
    <form onSubmit={save} noValidate className="max-w-xl space-y-3" aria-describedby="email-help">
      <p id="email-help" className="text-sm text-muted">{t("emailHelp")}</p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="account-email" label={t("newEmail")} error={errors.email}>
          {(aria) => input(form.register("email"), aria, { type: "email", autoComplete: "email", maxLength: 320 })}
        </Field>
        <Field id="account-email-currentPassword" label={t("currentPassword")} error={errors.currentPassword}>
          {(aria) => input(form.register("currentPassword"), aria, { type: "password", autoComplete: "current-password" })}
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>{pending ? t("saving") : t("saveEmail")}</Button>
        <Outcome failure={failure} done={done} />
      </div>
    </form>
  );
}

export function PasswordForm() {
  const t = useTranslations("account");
  const { form, submit, pending, failure, done, errors } = useActionForm(accountPasswordSchema, { currentPassword: "", newPassword: "", confirmPassword: "" });
  const save = submit(changeAccountPasswordAction, {
    success: (data) => t("passwordSaved", { sessions: data.sessionsEnded }),
    onSuccess: () => form.reset(),
  });
  return (
    <form onSubmit={save} noValidate className="max-w-xl space-y-3" aria-describedby="password-help">
      <p id="password-help" className="text-sm text-muted">{t("passwordHelp")}</p>
      <Field id="account-password-currentPassword" label={t("currentPassword")} error={errors.currentPassword}>
        {(aria) => input(form.register("currentPassword"), aria, { type: "password", autoComplete: "current-password" })}
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="account-newPassword" label={t("newPassword")} error={errors.newPassword}>
          {(aria) => input(form.register("newPassword"), aria, { type: "password", autoComplete: "new-password", minLength: 12 })}
        </Field>
        <Field id="account-confirmPassword" label={t("confirmPassword")} error={errors.confirmPassword}>
          {(aria) => input(form.register("confirmPassword"), aria, { type: "password", autoComplete: "new-password" })}
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>{pending ? t("saving") : t("savePassword")}</Button>
        <Outcome failure={failure} done={done} />
      </div>
    </form>
  );
}
