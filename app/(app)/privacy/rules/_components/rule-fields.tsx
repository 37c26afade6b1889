"use client";

import { useTranslations } from "next-intl";
import { PERSON_KINDS, TICKET_STATES } from "@/lib/schedule/rule-schemas";
import { defaultOf, type FieldKit, fieldProps } from "./rule-form";
import { ACTION_CHOICES, formatHour, kindWord, labelOf, PERSON_STATUSES, type RuleObject, stateWord, statusWord, WEEK } from "./rule-words";

// The rule editor's fieldsets. Every field is registered with the editor's form under the
// name the server reads (conditions.<key>, schedule.<key>) and says its error in words.

export type Organisation = { id: number; name: string };

const FIELD = "mt-1 rounded border border-line bg-white px-2 py-1 aria-invalid:border-danger";
const INPUT = `${FIELD} w-full max-w-xs`;

export function Note({ id, label, error, hint }: { id: string; label: string; error?: string; hint?: string }) {
  if (error) return <p id={id} className="mt-0.5 text-sm text-danger">{label}: {error}</p>;
  return hint ? <p id={id} className="mt-0.5 text-sm text-muted">{hint}</p> : <span id={id} hidden />;
}

function Field({ kit, name, hint, children, noteKey = name }: { kit: FieldKit; name: string; hint?: string; children: React.ReactNode; noteKey?: string }) {
  const words = useTranslations();
  const label = labelOf(name, words);
  return (
    <div>
      <label htmlFor={`${kit.ids}-${noteKey}`} className="block font-medium">{label}</label>
      {children}
      <Note id={`${kit.ids}-${noteKey}-note`} label={label} error={kit.errorOf(name)} hint={hint} />
    </div>
  );
}

function DaysField({ kit, name, hint }: { kit: FieldKit; name: string; hint: string }) {
  return (
    <Field kit={kit} name={name} hint={hint}>
      <input {...fieldProps(kit, name)} type="number" inputMode="numeric" min={1} step={1} className={`${FIELD} w-32`} />
    </Field>
  );
}

/** Both objects have one; `scope` keeps their element ids apart. `stored` may name an organisation that is gone. */
function OrganisationField({ kit, scope, stored, organisations }: { kit: FieldKit; scope: RuleObject; stored: string; organisations: Organisation[] }) {
  const name = "conditions.organisationId";
  const t = useTranslations("rules");
  const known = stored === "" || organisations.some((o) => String(o.id) === stored);
  return (
    <Field kit={kit} name={name} noteKey={`${scope}-${name}`}>
      <select {...fieldProps(kit, name, `${scope}-${name}`)} className={INPUT}>
        <option value="">{t("form.anyOrganisation")}</option>
        {known ? null : <option value={stored}>{t("form.organisationNumber", { id: stored })}</option>}
        {organisations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
    </Field>
  );
}

export function RuleFields({ kit, object }: { kit: FieldKit; object: RuleObject }) {
  const t = useTranslations("rules");
  return (
    <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
      <legend className="px-1 font-semibold">{t("fields.rule")}</legend>
      <Field kit={kit} name="name">
        <input {...fieldProps(kit, "name")} maxLength={120} autoComplete="off" className={`${FIELD} w-full max-w-md`} />
      </Field>
      <Field kit={kit} name="object" hint={t("form.objectHint")}>
        <select {...fieldProps(kit, "object")} className={INPUT}>
          <option value="person">{t("objects.person")}</option>
          <option value="ticket">{t("objects.ticket")}</option>
        </select>
      </Field>
      <fieldset aria-describedby={`${kit.ids}-action-note`}>
        <legend className="font-medium">{t("fields.action")}</legend>
        <div className="mt-1 space-y-1">
          {ACTION_CHOICES[object].map((action) => (
            <div key={action} className="flex items-start gap-2">
              <input id={`${kit.ids}-action-${action}`} type="radio" value={action} defaultChecked={kit.defaults.action === action} {...kit.register("action")} aria-describedby={`${kit.ids}-action-${action}-hint`} className="mt-1" />
              <div>
                <label htmlFor={`${kit.ids}-action-${action}`}>{t(`actions.${object}.${action}.label`)}</label>
                <p id={`${kit.ids}-action-${action}-hint`} className="text-sm text-muted">{t(`actions.${object}.${action}.hint`)}</p>
              </div>
            </div>
          ))}
        </div>
        <Note id={`${kit.ids}-action-note`} label={t("fields.action")} error={kit.errorOf("action")} />
      </fieldset>
      <div>
        <label className="flex items-center gap-2 font-medium">
          <input type="checkbox" defaultChecked={Boolean(kit.defaults.enabled)} {...kit.register("enabled")} aria-describedby={`${kit.ids}-enabled-note`} />
          {t("fields.enabled")}
        </label>
        <Note id={`${kit.ids}-enabled-note`} label={t("fields.enabled")} error={kit.errorOf("enabled")} hint={t("form.enabledHint")} />
      </div>
    </fieldset>
  );
}

/** Only the chosen object's conditions are in the form, so only they are posted. */
export function ConditionFields({ kit, object, organisations, storedOrganisation }: { kit: FieldKit; object: RuleObject; organisations: Organisation[]; storedOrganisation: string }) {
  const t = useTranslations("rules");
  const words = useTranslations();
  return (
    <fieldset className="rounded border border-line p-4" aria-describedby={`${kit.ids}-conditions-note`}>
      <legend className="px-1 font-semibold">{t("fields.conditions")}</legend>
      <Note id={`${kit.ids}-conditions-note`} label={t("fields.conditions")} error={kit.errorOf("conditions")} hint={t("form.conditionsHint")} />
      {/* Keyed: each object's fields are elements of their own, never another object's reused. */}
      {object === "person" ? (
        <fieldset key="person" className="mt-3 grid gap-4 sm:grid-cols-3">
          <legend className="sr-only">{t("form.personConditions")}</legend>
          <Field kit={kit} name="conditions.kind">
            <select {...fieldProps(kit, "conditions.kind")} className={INPUT}>
              <option value="">{t("form.anyKind")}</option>
              {PERSON_KINDS.map((k) => <option key={k} value={k}>{kindWord(words, k)}</option>)}
            </select>
          </Field>
          <Field kit={kit} name="conditions.status">
            <select {...fieldProps(kit, "conditions.status")} className={INPUT}>
              <option value="">{t("form.anyStatus")}</option>
              {PERSON_STATUSES.map((s) => <option key={s} value={s}>{statusWord(words, s)}</option>)}
            </select>
          </Field>
          <OrganisationField kit={kit} scope="person" stored={storedOrganisation} organisations={organisations} />
          <Field kit={kit} name="conditions.imported">
            <select {...fieldProps(kit, "conditions.imported")} className={INPUT}>
              <option value="">{t("form.importedAny")}</option>
              <option value="true">{t("form.importedOnly")}</option>
              <option value="false">{t("form.notImportedOnly")}</option>
            </select>
          </Field>
          <DaysField kit={kit} name="conditions.lastActivityOlderThanDays" hint={t("form.lastActivityHint")} />
          <DaysField kit={kit} name="conditions.leavingDateOlderThanDays" hint={t("form.leavingDateHint")} />
          <DaysField kit={kit} name="conditions.markedForDeletionOlderThanDays" hint={t("form.markedForDeletionHint")} />
        </fieldset>
      ) : (
        <fieldset key="ticket" className="mt-3 grid gap-4 sm:grid-cols-3">
          <legend className="sr-only">{t("form.ticketConditions")}</legend>
          <Field kit={kit} name="conditions.state">
            <select {...fieldProps(kit, "conditions.state")} className={INPUT}>
              <option value="">{t("form.anyState")}</option>
              {TICKET_STATES.map((s) => <option key={s} value={s}>{stateWord(words, s)}</option>)}
            </select>
          </Field>
          <DaysField kit={kit} name="conditions.closedOlderThanDays" hint={t("form.closedHint")} />
          <DaysField kit={kit} name="conditions.createdOlderThanDays" hint={t("form.createdHint")} />
          <OrganisationField kit={kit} scope="ticket" stored={storedOrganisation} organisations={organisations} />
        </fieldset>
      )}
    </fieldset>
  );
}

export function ScheduleFields({ kit, weekly, timeZone }: { kit: FieldKit; weekly: boolean; timeZone: string }) {
  const t = useTranslations("rules");
  return (
    <fieldset className="rounded border border-line p-4">
      <legend className="px-1 font-semibold">{t("fields.schedule")}</legend>
      <div className="flex flex-wrap items-start gap-x-8 gap-y-3">
        <fieldset aria-describedby={`${kit.ids}-schedule.kind-note`}>
          <legend className="font-medium">{t("form.runs")}</legend>
          <div className="mt-1 flex gap-4">
            <label className="flex items-center gap-2"><input type="radio" value="daily" defaultChecked={kit.defaults.schedule.kind === "daily"} {...kit.register("schedule.kind")} />{t("form.daily")}</label>
            <label className="flex items-center gap-2"><input type="radio" value="weekly" defaultChecked={kit.defaults.schedule.kind === "weekly"} {...kit.register("schedule.kind")} />{t("form.weekly")}</label>
          </div>
          <Note id={`${kit.ids}-schedule.kind-note`} label={t("fields.schedule")} error={kit.errorOf("schedule.kind") ?? kit.errorOf("schedule")} />
        </fieldset>
        <fieldset disabled={!weekly} aria-describedby={`${kit.ids}-schedule.days-note`} className="disabled:opacity-50">
          <legend className="font-medium">{t("fields.days")}</legend>
          <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
            {WEEK.map((d) => (
              <label key={d.value} className="flex items-center gap-1.5">
                <input type="checkbox" value={d.value} defaultChecked={(defaultOf(kit, "schedule.days") as string[]).includes(String(d.value))} {...kit.register("schedule.days")} />
                {t(`week.${d.key}.name`)}
              </label>
            ))}
          </div>
          <Note id={`${kit.ids}-schedule.days-note`} label={t("fields.days")} error={kit.errorOf("schedule.days")} />
        </fieldset>
        <Field kit={kit} name="schedule.hour" hint={t("form.hourHint", { timeZone })}>
          <select {...fieldProps(kit, "schedule.hour")} className={`${FIELD} w-28`}>
            {Array.from({ length: 24 }, (_, h) => <option key={h} value={h}>{formatHour(h)}</option>)}
          </select>
        </Field>
      </div>
    </fieldset>
  );
}
