"use client";

import { useTranslations } from "next-intl";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { KEEPABLE_RECORD_TYPES, RECORD_TYPE_NAMES } from "@/lib/obligations/record-types";
import { retentionObligationSchema } from "@/lib/obligations/schemas";
import { createRetentionObligationAction, deleteRetentionObligationAction, updateRetentionObligationAction } from "./actions";

type Obligation = {
  id: number; recordType: string; periodYears: number; periodMonths: number; countedFrom: string; fromEndOfYear: boolean; law: string;
};

const FIELDS = ["recordType", "periodYears", "periodMonths", "countedFrom", "fromEndOfYear", "law"] as const;
const input = "mt-1 w-full rounded border border-line px-2 py-1 aria-invalid:border-danger";

export function ObligationForm({ obligation }: { obligation: Obligation | null }) {
  const t = useTranslations("obligations");
  const { form, submit, pending, failure, done, errors } = useActionForm(retentionObligationSchema, {
    recordType: obligation?.recordType ?? RECORD_TYPE_NAMES[0],
    periodYears: String(obligation?.periodYears ?? 10),
    periodMonths: String(obligation?.periodMonths ?? 0),
    countedFrom: obligation?.countedFrom ?? KEEPABLE_RECORD_TYPES[RECORD_TYPE_NAMES[0]].dateFields[0],
    fromEndOfYear: obligation?.fromEndOfYear ?? false,
    law: obligation?.law ?? "",
  });
  const recordType = form.watch("recordType") as keyof typeof KEEPABLE_RECORD_TYPES;
  const dateFields = KEEPABLE_RECORD_TYPES[recordType]?.dateFields ?? [];
  const idBase = obligation ? `obligation-${obligation.id}` : "obligation-new";
  const save = submit(
    (values) => (obligation ? updateRetentionObligationAction({ ...values, obligationId: obligation.id }) : createRetentionObligationAction(values)),
    { success: () => (obligation ? t("saved") : t("created")), onSuccess: () => { if (!obligation) form.reset(); } },
  );
  const fieldName = (field: string) => ((FIELDS as readonly string[]).includes(field) ? t(`fields.${field as (typeof FIELDS)[number]}`) : field);
  const invalid = Object.entries(errors).map(([field, error]) => t("fieldError", { field: fieldName(field), error })).join("; ");
  const error = failure?.message ?? (invalid || null);
  const invalidAttr = (field: string) => (errors[field] ? true : undefined);

  return (
    <form onSubmit={save} noValidate>
      <fieldset className="rounded border border-line p-3">
        <legend className="px-1 font-semibold">
          {obligation ? t("legend", { recordType: t(`recordTypes.${obligation.recordType as keyof typeof KEEPABLE_RECORD_TYPES}`), law: obligation.law }) : t("newObligation")}
        </legend>
        <div className="grid gap-2 sm:grid-cols-3">
          <div>
            <label htmlFor={`${idBase}-recordType`} className="block text-sm font-medium">{t("fields.recordType")}</label>
            <select id={`${idBase}-recordType`} {...form.register("recordType")} aria-invalid={invalidAttr("recordType")} className={input}>
              {RECORD_TYPE_NAMES.map((type) => <option key={type} value={type}>{t(`recordTypes.${type}`)}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor={`${idBase}-periodYears`} className="block text-sm font-medium">{t("fields.periodYears")}</label>
            <input id={`${idBase}-periodYears`} type="number" min={0} max={100} {...form.register("periodYears")} aria-invalid={invalidAttr("periodYears")} className={input} />
          </div>
          <div>
            <label htmlFor={`${idBase}-periodMonths`} className="block text-sm font-medium">{t("fields.periodMonths")}</label>
            <input id={`${idBase}-periodMonths`} type="number" min={0} max={1200} {...form.register("periodMonths")} aria-invalid={invalidAttr("periodMonths")} className={input} />
          </div>
          <div>
            <label htmlFor={`${idBase}-countedFrom`} className="block text-sm font-medium">{t("fields.countedFrom")}</label>
            <select id={`${idBase}-countedFrom`} {...form.register("countedFrom")} aria-invalid={invalidAttr("countedFrom")} className={input}>
              {dateFields.map((field) => <option key={field} value={field}>{t(`dateFields.${field}`)}</option>)}
            </select>
          </div>
          <div className="sm:col-span-2">
            <label htmlFor={`${idBase}-law`} className="block text-sm font-medium">{t("fields.law")}</label>
            <input id={`${idBase}-law`} {...form.register("law")} maxLength={200} aria-invalid={invalidAttr("law")} aria-describedby={`${idBase}-law-hint`} className={input} />
            <p id={`${idBase}-law-hint`} className="mt-1 text-xs text-muted">{t("lawHint")}</p>
          </div>
        </div>
        <div className="mt-2 flex items-start gap-2">
          <input id={`${idBase}-fromEndOfYear`} type="checkbox" {...form.register("fromEndOfYear")} className="mt-1" />
          <label htmlFor={`${idBase}-fromEndOfYear`}>{t("fields.fromEndOfYear")}</label>
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Button type="submit" variant="primary" disabled={pending}>{obligation ? t("save") : t("create")}</Button>
          {obligation ? (
            <ActionButton
              action={() => deleteRetentionObligationAction({ obligationId: obligation.id })}
              confirm={t("confirmDelete")}
              success={() => t("deleted")}
              messageClassName=""
            >
              {t("delete")}
            </ActionButton>
          ) : null}
          {error ? <span role="alert" className="text-danger">{error}</span> : done ? <span role="status" className="text-ok">{done}</span> : null}
        </div>
      </fieldset>
    </form>
  );
}
