"use client";

import { PERSON_KINDS, TICKET_STATES } from "@/lib/schedule/rule-schemas";
import { defaultOf, type FieldKit, fieldProps } from "./rule-form";
import { ACTION_CHOICES, formatHour, labelOf, type RuleObject, WEEK } from "./rule-words";

// The rule editor's fieldsets. Every field is registered with the editor's form under the
// name the server reads (conditions.<key>, schedule.<key>) and says its error in words.

export type Organisation = { id: number; name: string };

const FIELD = "mt-1 rounded border border-line bg-white px-2 py-1 aria-invalid:border-danger";
const INPUT = `${FIELD} w-full max-w-xs`;

export function Note({ id, label, error, hint }: { id: string; label: string; error?: string; hint?: string }) {
  if (error) return <p id={id} className="mt-0.5 text-sm text-danger">{label}: {error}</p>;
  return hint ? <p id={id} className="mt-0.5 text-sm text-muted">{hint}</p> : <span id={id} hidden />;
}

function Field({ kit, name, label = labelOf(name), hint, children, noteKey = name }: { kit: FieldKit; name: string; label?: string; hint?: string; children: React.ReactNode; noteKey?: string }) {
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
  const known = stored === "" || organisations.some((o) => String(o.id) === stored);
  return (
    <Field kit={kit} name={name} label="Organisation" noteKey={`${scope}-${name}`}>
      <select {...fieldProps(kit, name, `${scope}-${name}`)} className={INPUT}>
        <option value="">Any organisation</option>
        {known ? null : <option value={stored}>Organisation #{stored}</option>}
        {organisations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
    </Field>
  );
}

export function RuleFields({ kit, object }: { kit: FieldKit; object: RuleObject }) {
  return (
    <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
      <legend className="px-1 font-semibold">Rule</legend>
      <Field kit={kit} name="name">
        <input {...fieldProps(kit, "name")} maxLength={120} autoComplete="off" className={`${FIELD} w-full max-w-md`} />
      </Field>
      <Field kit={kit} name="object" hint="What the rule looks at; the conditions and actions follow it.">
        <select {...fieldProps(kit, "object")} className={INPUT}>
          <option value="person">People</option>
          <option value="ticket">Tickets</option>
        </select>
      </Field>
      <fieldset aria-describedby={`${kit.ids}-action-note`}>
        <legend className="font-medium">Action</legend>
        <div className="mt-1 space-y-1">
          {ACTION_CHOICES[object].map((choice) => (
            <div key={choice.value} className="flex items-start gap-2">
              <input id={`${kit.ids}-action-${choice.value}`} type="radio" value={choice.value} defaultChecked={kit.defaults.action === choice.value} {...kit.register("action")} aria-describedby={`${kit.ids}-action-${choice.value}-hint`} className="mt-1" />
              <div>
                <label htmlFor={`${kit.ids}-action-${choice.value}`}>{choice.label}</label>
                <p id={`${kit.ids}-action-${choice.value}-hint`} className="text-sm text-muted">{choice.hint}</p>
              </div>
            </div>
          ))}
        </div>
        <Note id={`${kit.ids}-action-note`} label="Action" error={kit.errorOf("action")} />
      </fieldset>
      <div>
        <label className="flex items-center gap-2 font-medium">
          <input type="checkbox" defaultChecked={Boolean(kit.defaults.enabled)} {...kit.register("enabled")} aria-describedby={`${kit.ids}-enabled-note`} />
          Enabled
        </label>
        <Note id={`${kit.ids}-enabled-note`} label="Enabled" error={kit.errorOf("enabled")} hint="A disabled rule never runs. The dry run works either way. A new or changed rule first runs at its next slot." />
      </div>
    </fieldset>
  );
}

/** Only the chosen object's conditions are in the form, so only they are posted. */
export function ConditionFields({ kit, object, organisations, storedOrganisation }: { kit: FieldKit; object: RuleObject; organisations: Organisation[]; storedOrganisation: string }) {
  return (
    <fieldset className="rounded border border-line p-4" aria-describedby={`${kit.ids}-conditions-note`}>
      <legend className="px-1 font-semibold">Conditions</legend>
      <Note id={`${kit.ids}-conditions-note`} label="Conditions" error={kit.errorOf("conditions")} hint="All the conditions you fill in must hold. Leave a field empty to ignore it; at least one is needed." />
      {/* Keyed: each object's fields are elements of their own, never another object's reused. */}
      {object === "person" ? (
        <fieldset key="person" className="mt-3 grid gap-4 sm:grid-cols-3">
          <legend className="sr-only">Conditions on people</legend>
          <Field kit={kit} name="conditions.kind">
            <select {...fieldProps(kit, "conditions.kind")} className={INPUT}>
              <option value="">Any kind</option>
              {PERSON_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </Field>
          <Field kit={kit} name="conditions.status">
            <select {...fieldProps(kit, "conditions.status")} className={INPUT}>
              <option value="">Any status</option>
              <option value="active">active</option>
              <option value="inactive">inactive</option>
            </select>
          </Field>
          <OrganisationField kit={kit} scope="person" stored={storedOrganisation} organisations={organisations} />
          <Field kit={kit} name="conditions.imported">
            <select {...fieldProps(kit, "conditions.imported")} className={INPUT}>
              <option value="">Imported or not</option>
              <option value="true">Imported only</option>
              <option value="false">Not imported only</option>
            </select>
          </Field>
          <DaysField kit={kit} name="conditions.lastActivityOlderThanDays" hint="No recorded activity for this long (counted from the record's creation if none)." />
          <DaysField kit={kit} name="conditions.leavingDateOlderThanDays" hint="The leaving date lies this many days in the past." />
          <DaysField kit={kit} name="conditions.markedForDeletionOlderThanDays" hint="Marked for deletion at least this many days ago." />
        </fieldset>
      ) : (
        <fieldset key="ticket" className="mt-3 grid gap-4 sm:grid-cols-3">
          <legend className="sr-only">Conditions on tickets</legend>
          <Field kit={kit} name="conditions.state">
            <select {...fieldProps(kit, "conditions.state")} className={INPUT}>
              <option value="">Any state</option>
              {TICKET_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </Field>
          <DaysField kit={kit} name="conditions.closedOlderThanDays" hint="Closed this many days ago or earlier, e.g. 365." />
          <DaysField kit={kit} name="conditions.createdOlderThanDays" hint="Opened this many days ago or earlier." />
          <OrganisationField kit={kit} scope="ticket" stored={storedOrganisation} organisations={organisations} />
        </fieldset>
      )}
    </fieldset>
  );
}

export function ScheduleFields({ kit, weekly, timeZone }: { kit: FieldKit; weekly: boolean; timeZone: string }) {
  return (
    <fieldset className="rounded border border-line p-4">
      <legend className="px-1 font-semibold">Schedule</legend>
      <div className="flex flex-wrap items-start gap-x-8 gap-y-3">
        <fieldset aria-describedby={`${kit.ids}-schedule.kind-note`}>
          <legend className="font-medium">Runs</legend>
          <div className="mt-1 flex gap-4">
            <label className="flex items-center gap-2"><input type="radio" value="daily" defaultChecked={kit.defaults.schedule.kind === "daily"} {...kit.register("schedule.kind")} />Every day</label>
            <label className="flex items-center gap-2"><input type="radio" value="weekly" defaultChecked={kit.defaults.schedule.kind === "weekly"} {...kit.register("schedule.kind")} />On chosen days</label>
          </div>
          <Note id={`${kit.ids}-schedule.kind-note`} label="Schedule" error={kit.errorOf("schedule.kind") ?? kit.errorOf("schedule")} />
        </fieldset>
        <fieldset disabled={!weekly} aria-describedby={`${kit.ids}-schedule.days-note`} className="disabled:opacity-50">
          <legend className="font-medium">Days of the week</legend>
          <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
            {WEEK.map((d) => (
              <label key={d.value} className="flex items-center gap-1.5">
                <input type="checkbox" value={d.value} defaultChecked={(defaultOf(kit, "schedule.days") as string[]).includes(String(d.value))} {...kit.register("schedule.days")} />
                {d.name}
              </label>
            ))}
          </div>
          <Note id={`${kit.ids}-schedule.days-note`} label="Days of the week" error={kit.errorOf("schedule.days")} />
        </fieldset>
        <Field kit={kit} name="schedule.hour" hint={`Local time, ${timeZone}.`}>
          <select {...fieldProps(kit, "schedule.hour")} className={`${FIELD} w-28`}>
            {Array.from({ length: 24 }, (_, h) => <option key={h} value={h}>{formatHour(h)}</option>)}
          </select>
        </Field>
      </div>
    </fieldset>
  );
}
