"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { z } from "zod";
import { Button, ButtonLink } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { personFieldsSchema, RECTIFIABLE_FIELDS, type RectifiableField } from "@/lib/people/rectify-schema";
import { rectifyPersonAction } from "./actions";

type FormValues = z.input<typeof personFieldsSchema>;

const isRectifiable = (field: string): field is RectifiableField => (RECTIFIABLE_FIELDS as readonly string[]).includes(field);

const FIELDS: { name: RectifiableField; type?: string; autoComplete?: string }[] = [
  { name: "firstName", autoComplete: "off" },
  { name: "lastName", autoComplete: "off" },
  { name: "email", type: "email", autoComplete: "off" },
  { name: "phone", type: "tel", autoComplete: "off" },
  { name: "address" },
  { name: "dateOfBirth", type: "date" },
  { name: "externalId" },
  { name: "leavingDate", type: "date" },
];

export function RectifyForm({ personId, defaults, customFields, requestId }: {
  personId: number; defaults: FormValues; customFields: { key: string; label: string }[];
  /** Opened from a rectification request: the changes are linked to it, and saving returns to it. */
  requestId?: number;
}) {
  const t = useTranslations("profile.edit");
  const fieldLabel = useTranslations("people.fields");
  const router = useRouter();
  const [invalid, setInvalid] = useState<string | null>(null);
  const { form, submit, pending, failure } = useActionForm(personFieldsSchema, defaults);
  const { errors } = form.formState;
  const labelOf = (field: string) =>
    customFields.find((f) => field === `customFields.${f.key}`)?.label ?? (isRectifiable(field) ? fieldLabel(field) : field);

  const onSubmit = submit((values) => {
    setInvalid(null);
    return rectifyPersonAction({ ...values, personId, ...(requestId ? { requestId } : {}) });
  }, {
    onSuccess: () => router.push(requestId ? `/requests/${requestId}` : `/people/${personId}?saved=1`),
    onInvalid: (fields) => setInvalid(t("checkFields", { fields: Object.keys(fields).map(labelOf).join(", ") })),
  });
  const message = failure?.message ?? invalid;

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-2xl space-y-3">
      {message ? <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-danger">{message}</p> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        {FIELDS.map((f) => {
          const error = errors[f.name]?.message;
          const id = `field-${f.name}`;
          return (
            <div key={f.name} className={f.name === "address" ? "sm:col-span-2" : undefined}>
              <label htmlFor={id} className="block font-medium">{fieldLabel(f.name)}</label>
              <input
                id={id}
                type={f.type ?? "text"}
                autoComplete={f.autoComplete}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                className="mt-1 w-full rounded border border-line px-2 py-1.5 aria-invalid:border-danger"
                {...form.register(f.name)}
              />
              {error ? <p id={`${id}-error`} className="mt-0.5 text-sm text-danger">{fieldLabel(f.name)} {String(error)}</p> : null}
            </div>
          );
        })}
        {customFields.map((f) => {
          const id = `custom-${f.key}`;
          const error = (errors.customFields as Record<string, { message?: string }> | undefined)?.[f.key]?.message;
          return (
            <div key={f.key}>
              <label htmlFor={id} className="block font-medium">{f.label}</label>
              <input id={id} className="mt-1 w-full rounded border border-line px-2 py-1.5" aria-invalid={error ? true : undefined} {...form.register(`customFields.${f.key}`)} />
              {error ? <p className="mt-0.5 text-sm text-danger">{f.label} {error}</p> : null}
            </div>
          );
        })}
      </div>
      <div className="flex gap-2 pt-2">
        <Button type="submit" variant="primary" disabled={pending}>{pending ? t("saving") : t("save")}</Button>
        <ButtonLink href={`/people/${personId}`}>{t("cancel")}</ButtonLink>
      </div>
    </form>
  );
}
