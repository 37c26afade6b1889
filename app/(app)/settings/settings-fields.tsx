"use client";

import { useLocale, useTranslations } from "next-intl";
import type { Register, Values } from "./settings-form";

// The settings form's labelled inputs: a label, the input, then its error or its hint,
// tied to the input by aria-describedby.

type InputProps = ReturnType<Register> & { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string };

export function Field({ name, label, hint, errors, register, children }: { name: keyof Values; label: string; hint?: string; errors?: Record<string, string[]>; register: Register; children: (props: InputProps) => React.ReactNode }) {
  const id = `settings-${name}`;
  const e = errors?.[name]?.join("; ");
  return (
    <div>
      <label htmlFor={id} className="block font-medium">{label}</label>
      {children({ ...register(name), id, "aria-invalid": e ? true : undefined, "aria-describedby": e || hint ? `${id}-note` : undefined })}
      {e ? <p id={`${id}-note`} className="text-sm text-danger">{label}: {e}</p> : hint ? <p id={`${id}-note`} className="text-sm text-muted">{hint}</p> : null}
    </div>
  );
}

/** A day of every year: day and month, the month named in the reader's language. */
export function DayPicker({ register, prefix, label, month, day, error: e }: { register: Register; prefix: "cycleNotice" | "cycleRun"; label: string; month: string; day: string; error?: string }) {
  const t = useTranslations("settings.cycle");
  const locale = useLocale();
  const monthName = new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" });
  return (
    <fieldset>
      <legend className="font-medium">{label}</legend>
      <div className="mt-1 flex gap-2">
        <label className="sr-only" htmlFor={`settings-${prefix}Day`}>{t("day", { label })}</label>
        <input id={`settings-${prefix}Day`} {...register(`${prefix}Day`)} type="number" min={1} max={31} defaultValue={day} className="w-16 rounded border border-line px-2 py-1" />
        <label className="sr-only" htmlFor={`settings-${prefix}Month`}>{t("month", { label })}</label>
        <select id={`settings-${prefix}Month`} {...register(`${prefix}Month`)} defaultValue={month} className="rounded border border-line px-2 py-1">
          {Array.from({ length: 12 }, (_, i) => <option key={i} value={i + 1}>{monthName.format(Date.UTC(2001, i, 1))}</option>)}
        </select>
      </div>
      {e ? <p className="text-sm text-danger">{label}: {e}</p> : null}
    </fieldset>
  );
}
