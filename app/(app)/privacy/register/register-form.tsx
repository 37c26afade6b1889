"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { REGISTER_FIELDS, REGISTER_TEXT_MAX, type RegisterEntryInput, registerEntrySchema } from "@/lib/register/schema";
import { updateRegisterEntryAction } from "./actions";

/** One entry of the register, folded away until opened: the table above is what is read. */
export function RegisterForm({ entry }: { entry: RegisterEntryInput }) {
  const t = useTranslations("register");
  const type = t(`recordTypes.${entry.recordType}`);
  const { form, submit, pending, failure, done, errors } = useActionForm(registerEntrySchema, entry);
  const save = submit((values) => updateRegisterEntryAction(values), { success: () => t("saved") });
  const fieldName = (field: string) => ((REGISTER_FIELDS as readonly string[]).includes(field) ? t(`fields.${field as (typeof REGISTER_FIELDS)[number]}`) : field);
  const invalid = Object.entries(errors).map(([field, error]) => t("fieldError", { field: fieldName(field), error })).join("; ");
  const error = failure?.message ?? (invalid || null);
  const idBase = `register-${entry.recordType}`;

  return (
    <details className="rounded border border-line">
      <summary className="cursor-pointer px-3 py-2 font-medium">{t("edit", { type })}</summary>
      <form onSubmit={save} noValidate className="border-t border-line p-3">
        <input type="hidden" {...form.register("recordType")} />
        <div className="grid gap-3 md:grid-cols-2">
          {REGISTER_FIELDS.map((field) => (
            <div key={field}>
              <label htmlFor={`${idBase}-${field}`} className="block text-sm font-medium">{t(`fields.${field}`)}</label>
              <textarea
                id={`${idBase}-${field}`} rows={3} maxLength={REGISTER_TEXT_MAX} {...form.register(field)}
                aria-invalid={errors[field] ? true : undefined}
                className="mt-1 w-full rounded border border-line px-2 py-1 text-sm aria-invalid:border-danger"
              />
            </div>
          ))}
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Button type="submit" variant="primary" disabled={pending}>{t("save", { type })}</Button>
          {error ? <span role="alert" className="text-danger">{error}</span> : done ? <span role="status" className="text-ok">{done}</span> : null}
        </div>
      </form>
    </details>
  );
}
