"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { startTransition, useActionState, useRef, useState } from "react";
import { useForm, type UseFormRegister } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/app/_components/ui";
import { errorMessages } from "@/app/_components/use-action-form";
import { PERSON_FIELD_LABELS } from "@/lib/people/fields";
import { privacySettingsSchema } from "@/lib/privacy/settings/schema";
import type { PrivacySettings } from "@/lib/privacy/settings/settings";
import { describeFieldErrors } from "@/lib/validation";
import { savePrivacySettingsAction, type SettingsFormState } from "./privacy-actions";

type Settings = Omit<PrivacySettings, "updatedAt"> & { updatedAt: string };
type PolicyField = { key: string; label: string; dateOnly: boolean };

// The browser checks every field but the policies: their names hold dots (custom.<key>)
// that react-hook-form would read as nesting, and their selects offer only what the
// schema allows. The server checks the whole form with the full schema.
const browserSchema = privacySettingsSchema.omit({ fieldPolicies: true, customFieldDefinitions: true });
type Values = z.input<typeof browserSchema>;
type Register = UseFormRegister<Values>;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * Posted as a form (it works without script): the server action decodes it. With script,
 * the fields are checked in the browser first and nothing is posted while one is wrong.
 */
export function SettingsForm({ settings, policyFields, alwaysRemoved }: { settings: Settings; policyFields: PolicyField[]; alwaysRemoved: string[] }) {
  const [state, action, pending] = useActionState<SettingsFormState, FormData>(savePrivacySettingsAction, {});
  const value = (name: string, fallback: unknown) => state.values?.[name] ?? (fallback === null || fallback === undefined ? "" : String(fallback));
  const checked = (name: keyof Settings) => (state.values ? state.values[name] === "on" : Boolean(settings[name]));
  const formRef = useRef<HTMLFormElement>(null);
  const [defaults] = useState(() => Object.fromEntries(Object.keys(browserSchema.shape).map((name) => {
    const current = settings[name as keyof Settings];
    return [name, typeof current === "boolean" ? checked(name as keyof Settings) : value(name, current)];
  })) as Values);
  const form = useForm<Values>({ resolver: zodResolver(browserSchema, undefined, { raw: true }), defaultValues: defaults, mode: "onSubmit" });
  const { register } = form;
  const [invalid, setInvalid] = useState<string | null>(null);
  const browserErrors = errorMessages(form.formState.errors);
  const fieldErrors = invalid ? Object.fromEntries(Object.entries(browserErrors).map(([name, message]) => [name, [message]])) : state.fieldErrors;
  const error = (name: string) => fieldErrors?.[name]?.join("; ");
  const message = invalid ?? state.message;

  const submit = form.handleSubmit(
    () => {
      setInvalid(null);
      const formData = new FormData(formRef.current!);
      startTransition(() => action(formData));
    },
    (errors) => setInvalid(describeFieldErrors(Object.fromEntries(Object.entries(errorMessages(errors)).map(([name, m]) => [name, [m]])))),
  );

  const input = "mt-1 w-full max-w-xs rounded border border-line px-2 py-1 aria-invalid:border-danger";

  return (
    <form ref={formRef} action={action} onSubmit={submit} className="space-y-6" noValidate>
      {message ? (
        <p role={state.ok && !invalid ? "status" : "alert"} className={`rounded border px-3 py-2 ${state.ok && !invalid ? "border-green-200 bg-green-50 text-ok" : "border-red-200 bg-red-50 text-danger"}`}>{message}</p>
      ) : null}

      <fieldset className="rounded border border-line p-4">
        <legend className="px-1 font-semibold">Anonymisation</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" defaultChecked={checked("anonymisationEnabled")} {...register("anonymisationEnabled")} />
          Anonymisation is enabled
        </label>
        <p className="text-sm text-muted">While off, every anonymise action refuses with a clear message. Deletion tasks are not affected.</p>
      </fieldset>

      <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Eligibility criteria</legend>
        <Field errors={fieldErrors} register={register} name="inactivePeriods" label="Inactive for at least (teaching periods)" hint="No enrolment, loan or activity in the last N teaching periods. 0 switches the rule off.">
          {(p) => <input {...p} type="number" min={0} max={20} defaultValue={value("inactivePeriods", settings.inactivePeriods)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="scope" label="Scope" hint="Which people schedules and the review list consider.">
          {(p) => (
            <select {...p} defaultValue={value("scope", settings.scope)} className={input}>
              <option value="all">All people</option>
              <option value="imported">Imported people only</option>
              <option value="not_imported">Not imported people only</option>
            </select>
          )}
        </Field>
        <Field errors={fieldErrors} register={register} name="daysSinceLeaving" label="Days since the leaving date" hint="Optional. Empty: not a criterion.">
          {(p) => <input {...p} type="number" min={0} defaultValue={value("daysSinceLeaving", settings.daysSinceLeaving)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="daysSinceActivity" label="Days since the last activity" hint="Optional. Criteria are combined with AND.">
          {(p) => <input {...p} type="number" min={0} defaultValue={value("daysSinceActivity", settings.daysSinceActivity)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="daysSinceMarked" label="Days since marked for deletion" hint="Optional.">
          {(p) => <input {...p} type="number" min={0} defaultValue={value("daysSinceMarked", settings.daysSinceMarked)} className={input} />}
        </Field>
        <div className="self-center">
          <label className="flex items-center gap-2">
            <input type="checkbox" defaultChecked={checked("manualRespectsCriteria")} {...register("manualRespectsCriteria")} />
            Manual anonymisation respects these criteria
          </label>
          <p className="text-sm text-muted">Rules 1–8 (open loans, debt, enrolments…) always apply.</p>
        </div>
      </fieldset>

      <fieldset className="rounded border border-line p-4">
        <legend className="px-1 font-semibold">What anonymisation does to each field</legend>
        <table aria-label="Field policies" className="max-w-2xl">
          <thead><tr><th scope="col">Field</th><th scope="col">Policy</th></tr></thead>
          <tbody>
            {alwaysRemoved.map((label) => (
              <tr key={label}><td>{label}</td><td className="text-muted">always removed{label === PERSON_FIELD_LABELS.firstName ? " (becomes “Anonymized”)" : ""}</td></tr>
            ))}
            {policyFields.map((f) => {
              const name = `fieldPolicies.${f.key}`;
              const e = error(name);
              return (
                <tr key={f.key}>
                  <td><label htmlFor={`settings-${name}`}>{f.label}</label></td>
                  <td>
                    <select id={`settings-${name}`} name={name} defaultValue={value(name, settings.fieldPolicies[f.key] ?? "blank")} className="rounded border border-line px-2 py-1" aria-invalid={e ? true : undefined}>
                      <option value="blank">blank (remove)</option>
                      {f.dateOnly ? null : <option value="mask">mask (e.g. j***@example.com)</option>}
                      <option value="generalise">{f.dateOnly ? "generalise (keep the year)" : "generalise"}</option>
                      <option value="keep">keep</option>
                    </select>
                    {e ? <p className="text-sm text-danger">{e}</p> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="mt-2 text-sm text-muted">Organisation, kind, and every date and amount used by reports (enrolments, loans, invoices, ticket counts and states) are always kept.</p>
      </fieldset>

      <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Organisation and retention of logs</legend>
        <Field errors={fieldErrors} register={register} name="organisationName" label="Organisation name" hint="Shown in e-mails.">
          {(p) => <input {...p} defaultValue={value("organisationName", settings.organisationName)} maxLength={200} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="timeZone" label="Time zone" hint="IANA name, e.g. Europe/Berlin. Schedules run on this calendar.">
          {(p) => <input {...p} defaultValue={value("timeZone", settings.timeZone)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="defaultPhoneCountry" label="Default phone country" hint="Two-letter country code, e.g. DE. Phone numbers written without +country code are read as this country's when they are searched for on erasure.">
          {(p) => <input {...p} defaultValue={value("defaultPhoneCountry", settings.defaultPhoneCountry)} maxLength={2} autoComplete="off" className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="taskLogRetentionMonths" label="Keep privacy task logs for (months)">
          {(p) => <input {...p} type="number" min={1} max={120} defaultValue={value("taskLogRetentionMonths", settings.taskLogRetentionMonths)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="emailBodyRetentionDays" label="Keep bodies of delivered e-mails for (days)">
          {(p) => <input {...p} type="number" min={1} max={3650} defaultValue={value("emailBodyRetentionDays", settings.emailBodyRetentionDays)} className={input} />}
        </Field>
      </fieldset>

      <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Annual cycle</legend>
        <label className="flex items-center gap-2 sm:col-span-2">
          <input type="checkbox" defaultChecked={checked("cycleEnabled")} {...register("cycleEnabled")} />
          Run the annual cycle: notice, two reminders, then anonymise everyone eligible on the run date
        </label>
        <DayPicker register={register} prefix="cycleNotice" label="Notice date" month={value("cycleNoticeMonth", settings.cycleNoticeMonth)} day={value("cycleNoticeDay", settings.cycleNoticeDay)} error={error("cycleNoticeMonth") ?? error("cycleNoticeDay")} />
        <DayPicker register={register} prefix="cycleRun" label="Run date" month={value("cycleRunMonth", settings.cycleRunMonth)} day={value("cycleRunDay", settings.cycleRunDay)} error={error("cycleRunMonth") ?? error("cycleRunDay")} />
        <Field errors={fieldErrors} register={register} name="cycleFirstReminderDays" label="First reminder (days after the notice)">
          {(p) => <input {...p} type="number" min={1} max={365} defaultValue={value("cycleFirstReminderDays", settings.cycleFirstReminderDays)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="cycleSecondReminderDays" label="Second reminder (days after the first)">
          {(p) => <input {...p} type="number" min={1} max={365} defaultValue={value("cycleSecondReminderDays", settings.cycleSecondReminderDays)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="cycleMinNoticeDays" label="Minimum notice before the run (days)" hint="If the notice went out later, the run is postponed.">
          {(p) => <input {...p} type="number" min={0} max={365} defaultValue={value("cycleMinNoticeDays", settings.cycleMinNoticeDays)} className={input} />}
        </Field>
      </fieldset>

      <Button type="submit" variant="primary" disabled={pending}>{pending ? "Saving…" : "Save settings"}</Button>
    </form>
  );

}

function Field({ name, label, hint, errors, register, children }: { name: keyof Values; label: string; hint?: string; errors?: Record<string, string[]>; register: Register; children: (props: ReturnType<Register> & { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => React.ReactNode }) {
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

function DayPicker({ register, prefix, label, month, day, error: e }: { register: Register; prefix: "cycleNotice" | "cycleRun"; label: string; month: string; day: string; error?: string }) {
  return (
    <fieldset>
      <legend className="font-medium">{label}</legend>
      <div className="mt-1 flex gap-2">
        <label className="sr-only" htmlFor={`settings-${prefix}Day`}>{label}: day</label>
        <input id={`settings-${prefix}Day`} {...register(`${prefix}Day`)} type="number" min={1} max={31} defaultValue={day} className="w-16 rounded border border-line px-2 py-1" />
        <label className="sr-only" htmlFor={`settings-${prefix}Month`}>{label}: month</label>
        <select id={`settings-${prefix}Month`} {...register(`${prefix}Month`)} defaultValue={month} className="rounded border border-line px-2 py-1">
          {MONTHS.map((m, i) => <option key={m} value={i + 1}>{m}</option>)}
        </select>
      </div>
      {e ? <p className="text-sm text-danger">{label}: {e}</p> : null}
    </fieldset>
  );
}
