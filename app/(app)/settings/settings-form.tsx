"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useLocale, useTranslations } from "next-intl";
import { startTransition, useActionState, useRef, useState } from "react";
import { useForm, type UseFormRegister } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/app/_components/ui";
import { errorMessages } from "@/app/_components/use-action-form";
import { LOCALE_NAMES, LOCALES } from "@/lib/i18n/locales";
import { translateMessage } from "@/lib/i18n/server-messages";
import { privacySettingsSchema } from "@/lib/privacy/settings/schema";
import type { FieldPolicy, PrivacySettings } from "@/lib/privacy/settings/settings";
import { describeFieldErrors } from "@/lib/validation";
import { savePrivacySettingsAction, type SettingsFormState } from "./privacy-actions";
import { DayPicker, Field } from "./settings-fields";

type Settings = Omit<PrivacySettings, "updatedAt"> & { updatedAt: string };
type PolicyField = { key: string; label: string; dateOnly: boolean; allowed: FieldPolicy[] };

// The browser checks every field but the policies: their names hold dots (custom.<key>)
// that react-hook-form would read as nesting, and their selects offer only what the
// schema allows. The server checks the whole form with the full schema.
const browserSchema = privacySettingsSchema.omit({ fieldPolicies: true, customFieldDefinitions: true });
export type Values = z.input<typeof browserSchema>;
export type Register = UseFormRegister<Values>;

/**
 * Posted as a form (it works without script): the server action decodes it. With script,
 * the fields are checked in the browser first and nothing is posted while one is wrong.
 */
export function SettingsForm({ settings, policyFields, alwaysRemoved, pseudonymAvailable }: { settings: Settings; policyFields: PolicyField[]; alwaysRemoved: { key: string; label: string }[]; pseudonymAvailable: boolean }) {
  const t = useTranslations("settings");
  const locale = useLocale();
  // The browser's check words its messages as the server's refusals are: in the reader's language.
  const messagesOf = (errors: object) => Object.fromEntries(Object.entries(errorMessages(errors)).map(([name, m]) => [name, [translateMessage(m, locale)]]));
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
  const fieldErrors = invalid ? messagesOf(form.formState.errors) : state.fieldErrors;
  const error = (name: string) => fieldErrors?.[name]?.join("; ");
  const message = invalid ?? state.message;

  const submit = form.handleSubmit(
    () => {
      setInvalid(null);
      const formData = new FormData(formRef.current!);
      startTransition(() => action(formData));
    },
    (errors) => setInvalid(describeFieldErrors(messagesOf(errors))),
  );

  const input = "mt-1 w-full max-w-xs rounded border border-line px-2 py-1 aria-invalid:border-danger";

  return (
    <form ref={formRef} action={action} onSubmit={submit} className="space-y-6" noValidate>
      {message ? (
        <p role={state.ok && !invalid ? "status" : "alert"} className={`rounded border px-3 py-2 ${state.ok && !invalid ? "border-green-200 bg-green-50 text-ok" : "border-red-200 bg-red-50 text-danger"}`}>{message}</p>
      ) : null}

      <fieldset className="rounded border border-line p-4">
        <legend className="px-1 font-semibold">{t("anonymisation.legend")}</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" defaultChecked={checked("anonymisationEnabled")} {...register("anonymisationEnabled")} />
          {t("anonymisation.enabled")}
        </label>
        <p className="text-sm text-muted">{t("anonymisation.enabledHint")}</p>
      </fieldset>

      <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">{t("criteria.legend")}</legend>
        <Field errors={fieldErrors} register={register} name="inactivePeriods" label={t("labels.inactivePeriods")} hint={t("hints.inactivePeriods")}>
          {(p) => <input {...p} type="number" min={0} max={20} defaultValue={value("inactivePeriods", settings.inactivePeriods)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="scope" label={t("labels.scope")} hint={t("hints.scope")}>
          {(p) => (
            <select {...p} defaultValue={value("scope", settings.scope)} className={input}>
              <option value="all">{t("scopes.all")}</option>
              <option value="imported">{t("scopes.imported")}</option>
              <option value="not_imported">{t("scopes.notImported")}</option>
            </select>
          )}
        </Field>
        <Field errors={fieldErrors} register={register} name="daysSinceLeaving" label={t("labels.daysSinceLeaving")} hint={t("hints.daysSinceLeaving")}>
          {(p) => <input {...p} type="number" min={0} defaultValue={value("daysSinceLeaving", settings.daysSinceLeaving)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="daysSinceActivity" label={t("labels.daysSinceActivity")} hint={t("hints.daysSinceActivity")}>
          {(p) => <input {...p} type="number" min={0} defaultValue={value("daysSinceActivity", settings.daysSinceActivity)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="daysSinceMarked" label={t("labels.daysSinceMarked")} hint={t("hints.daysSinceMarked")}>
          {(p) => <input {...p} type="number" min={0} defaultValue={value("daysSinceMarked", settings.daysSinceMarked)} className={input} />}
        </Field>
        <div className="self-center">
          <label className="flex items-center gap-2">
            <input type="checkbox" defaultChecked={checked("manualRespectsCriteria")} {...register("manualRespectsCriteria")} />
            {t("criteria.manualRespectsCriteria")}
          </label>
          <p className="text-sm text-muted">{t("criteria.manualHint")}</p>
        </div>
      </fieldset>

      <fieldset className="rounded border border-line p-4">
        <legend className="px-1 font-semibold">{t("policies.legend")}</legend>
        <table aria-label={t("policies.table")} className="max-w-2xl">
          <thead><tr><th scope="col">{t("policies.field")}</th><th scope="col">{t("policies.policy")}</th></tr></thead>
          <tbody>
            {alwaysRemoved.map((f) => (
              <tr key={f.key}><td>{f.label}</td><td className="text-muted">{f.key === "firstName" ? t("policies.alwaysRemovedFirstName") : t("policies.alwaysRemoved")}</td></tr>
            ))}
            {policyFields.map((f) => {
              const name = `fieldPolicies.${f.key}`;
              const e = error(name);
              return (
                <tr key={f.key}>
                  <td><label htmlFor={`settings-${name}`}>{f.label}</label></td>
                  <td>
                    <select id={`settings-${name}`} name={name} defaultValue={value(name, settings.fieldPolicies[f.key] ?? "blank")} className="rounded border border-line px-2 py-1" aria-invalid={e ? true : undefined} aria-describedby={f.allowed.includes("pseudonymise") ? "settings-pseudonymise-note" : undefined}>
                      <option value="blank">{t("policies.blank")}</option>
                      {f.allowed.includes("mask") ? <option value="mask">{t("policies.mask")}</option> : null}
                      {f.allowed.includes("generalise") ? <option value="generalise">{f.dateOnly ? t("policies.generaliseDate") : t("policies.generalise")}</option> : null}
                      {/* Without PSEUDONYM_KEY it cannot be chosen; a stored choice stays visible, and saving names it. */}
                      {f.allowed.includes("pseudonymise") ? (
                        <option value="pseudonymise" disabled={!pseudonymAvailable && settings.fieldPolicies[f.key] !== "pseudonymise"}>{t("policies.pseudonymise")}</option>
                      ) : null}
                      {f.allowed.includes("keep") ? <option value="keep">{t("policies.keep")}</option> : null}
                    </select>
                    {e ? <p className="text-sm text-danger">{e}</p> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p id="settings-pseudonymise-note" className="mt-2 text-sm text-muted">
          {t("policies.pseudonymiseHint")} {pseudonymAvailable ? null : <strong>{t("policies.pseudonymiseNoKey")}</strong>}
        </p>
        <p className="mt-2 text-sm text-muted">{t("policies.alwaysKept")}</p>
      </fieldset>

      <fieldset className="rounded border border-line p-4" aria-describedby="settings-othersMentions-note">
        <legend className="px-1 font-semibold">{t("mentions.legend")}</legend>
        <p id="settings-othersMentions-note" className="text-sm text-muted">{t("mentions.hint")}</p>
        {(["blank_message", "redact"] as const).map((choice) => (
          <div key={choice} className="mt-2">
            <label className="flex items-center gap-2 font-medium">
              <input type="radio" value={choice} defaultChecked={value("othersMentions", settings.othersMentions) === choice} aria-describedby={`settings-othersMentions-${choice}-note`} {...register("othersMentions")} />
              {t(`mentions.${choice}`)}
            </label>
            <p id={`settings-othersMentions-${choice}-note`} className="ml-6 text-sm text-muted">{t(`mentions.${choice}Hint`)}</p>
          </div>
        ))}
        {error("othersMentions") ? <p className="text-sm text-danger">{error("othersMentions")}</p> : null}
      </fieldset>

      <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">{t("organisation.legend")}</legend>
        <Field errors={fieldErrors} register={register} name="organisationName" label={t("labels.organisationName")} hint={t("hints.organisationName")}>
          {(p) => <input {...p} defaultValue={value("organisationName", settings.organisationName)} maxLength={200} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="language" label={t("labels.language")} hint={t("hints.language")}>
          {(p) => (
            <select {...p} defaultValue={value("language", settings.language)} className={input}>
              {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
            </select>
          )}
        </Field>
        <Field errors={fieldErrors} register={register} name="timeZone" label={t("labels.timeZone")} hint={t("hints.timeZone")}>
          {(p) => <input {...p} defaultValue={value("timeZone", settings.timeZone)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="defaultPhoneCountry" label={t("labels.defaultPhoneCountry")} hint={t("hints.defaultPhoneCountry")}>
          {(p) => <input {...p} defaultValue={value("defaultPhoneCountry", settings.defaultPhoneCountry)} maxLength={2} autoComplete="off" className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="taskLogRetentionMonths" label={t("labels.taskLogRetentionMonths")}>
          {(p) => <input {...p} type="number" min={1} max={120} defaultValue={value("taskLogRetentionMonths", settings.taskLogRetentionMonths)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="emailBodyRetentionDays" label={t("labels.emailBodyRetentionDays")}>
          {(p) => <input {...p} type="number" min={1} max={3650} defaultValue={value("emailBodyRetentionDays", settings.emailBodyRetentionDays)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="auditRetentionMonths" label={t("labels.auditRetentionMonths")} hint={t("hints.auditRetentionMonths")}>
          {(p) => <input {...p} type="number" min={12} max={240} defaultValue={value("auditRetentionMonths", settings.auditRetentionMonths)} className={input} />}
        </Field>
      </fieldset>

      <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">{t("cycle.legend")}</legend>
        <label className="flex items-center gap-2 sm:col-span-2">
          <input type="checkbox" defaultChecked={checked("cycleEnabled")} {...register("cycleEnabled")} />
          {t("cycle.enabled")}
        </label>
        <DayPicker register={register} prefix="cycleNotice" label={t("cycle.noticeDate")} month={value("cycleNoticeMonth", settings.cycleNoticeMonth)} day={value("cycleNoticeDay", settings.cycleNoticeDay)} error={error("cycleNoticeMonth") ?? error("cycleNoticeDay")} />
        <DayPicker register={register} prefix="cycleRun" label={t("cycle.runDate")} month={value("cycleRunMonth", settings.cycleRunMonth)} day={value("cycleRunDay", settings.cycleRunDay)} error={error("cycleRunMonth") ?? error("cycleRunDay")} />
        <Field errors={fieldErrors} register={register} name="cycleFirstReminderDays" label={t("labels.cycleFirstReminderDays")}>
          {(p) => <input {...p} type="number" min={1} max={365} defaultValue={value("cycleFirstReminderDays", settings.cycleFirstReminderDays)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="cycleSecondReminderDays" label={t("labels.cycleSecondReminderDays")}>
          {(p) => <input {...p} type="number" min={1} max={365} defaultValue={value("cycleSecondReminderDays", settings.cycleSecondReminderDays)} className={input} />}
        </Field>
        <Field errors={fieldErrors} register={register} name="cycleMinNoticeDays" label={t("labels.cycleMinNoticeDays")} hint={t("hints.cycleMinNoticeDays")}>
          {(p) => <input {...p} type="number" min={0} max={365} defaultValue={value("cycleMinNoticeDays", settings.cycleMinNoticeDays)} className={input} />}
        </Field>
      </fieldset>

      <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">{t("requests.legend")}</legend>
        <div className="sm:col-span-2">
          <label className="flex items-center gap-2">
            <input type="checkbox" defaultChecked={checked("requestClockPause")} aria-describedby="settings-requestClockPause-note" {...register("requestClockPause")} />
            {t("requests.clockPause")}
          </label>
          <p id="settings-requestClockPause-note" className="ml-6 text-sm text-muted">{t("requests.clockPauseHint")}</p>
        </div>
        <Field errors={fieldErrors} register={register} name="requestRetentionMonths" label={t("labels.requestRetentionMonths")} hint={t("hints.requestRetentionMonths")}>
          {(p) => <input {...p} type="number" min={1} max={240} defaultValue={value("requestRetentionMonths", settings.requestRetentionMonths)} className={input} />}
        </Field>
        <div className="sm:col-span-2">
          <label className="flex items-center gap-2">
            <input type="checkbox" defaultChecked={checked("fourEyesDeletions")} aria-describedby="settings-fourEyesDeletions-note" {...register("fourEyesDeletions")} />
            {t("requests.fourEyes")}
          </label>
          <p id="settings-fourEyesDeletions-note" className="ml-6 text-sm text-muted">{t("requests.fourEyesHint")}</p>
        </div>
      </fieldset>

      <Button type="submit" variant="primary" disabled={pending}>{pending ? t("saving") : t("save")}</Button>
    </form>
  );
}
