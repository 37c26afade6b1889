"use client";

import { startTransition, useActionState, useId, useRef, useState, useTransition } from "react";
import { Button } from "@/app/_components/ui";
import type { FieldErrors } from "@/lib/errors";
import { PERSON_KINDS, TICKET_STATES } from "@/lib/schedule/rule-schemas";
import type { DryRun } from "@/lib/schedule/rules";
import { dryRunDefinitionAction, dryRunSavedRuleAction, type RuleFormState, saveRetentionRuleAction } from "../actions";
import { DryRunResult } from "./dry-run-result";
import { ACTION_CHOICES, fieldOf, formatHour, labelOf, type RuleAction, type RuleObject, WEEK } from "./rule-words";

export type RuleEditorValues = {
  id?: number;
  name: string;
  object: RuleObject;
  action: RuleAction;
  conditions: Record<string, unknown>;
  schedule: { kind: "daily" | "weekly"; hour: number; days?: number[] };
  enabled: boolean;
};

type Organisation = { id: number; name: string };
type DryRunState = { result?: DryRun; source?: "saved" | "form"; message?: string };

const FIELD = "mt-1 rounded border border-line bg-white px-2 py-1 aria-invalid:border-danger";
const INPUT = `${FIELD} w-full max-w-xs`;
const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/**
 * The one editor for new and existing retention rules. The server checks everything
 * (rule-schemas.ts) and answers field errors keyed like `conditions.closedOlderThanDays`;
 * the form is submitted by hand so that nothing typed is reset when it is refused.
 */
export function RuleEditor({ initial, organisations, timeZone }: { initial: RuleEditorValues; organisations: Organisation[]; timeZone: string }) {
  const ids = useId();
  const form = useRef<HTMLFormElement>(null);
  const [object, setObject] = useState<RuleObject>(initial.object);
  const [scheduleKind, setScheduleKind] = useState(initial.schedule.kind);
  const [dirty, setDirty] = useState(false);
  const [errorsFrom, setErrorsFrom] = useState<"save" | "dry">("save");
  const [dry, setDry] = useState<DryRunState>({});
  const [dryErrors, setDryErrors] = useState<FieldErrors | undefined>();
  const [dryPending, startDry] = useTransition();
  const [state, dispatch, saving] = useActionState(async (_prev: RuleFormState, formData: FormData) => {
    const result = await saveRetentionRuleAction(formData);
    if (result?.ok) setDirty(false);
    return result ?? {};
  }, {});

  const fieldErrors = errorsFrom === "dry" ? dryErrors : state.fieldErrors;
  const errorOf = (name: string) => {
    const messages = Object.entries(fieldErrors ?? {}).filter(([key]) => fieldOf(key) === name).flatMap(([, m]) => m);
    return messages.length ? messages.join("; ") : undefined;
  };
  const fieldProps = (name: string, key = name) => {
    const e = errorOf(name);
    return { id: `${ids}-${key}`, name, "aria-invalid": e ? true : undefined, "aria-describedby": `${ids}-${key}-note` };
  };

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setErrorsFrom("save");
    const formData = new FormData(e.currentTarget);
    startTransition(() => dispatch(formData));
  }

  function dryRun() {
    if (!form.current) return;
    const source = initial.id && !dirty ? "saved" : "form";
    const formData = new FormData(form.current);
    setErrorsFrom("dry");
    setDryErrors(undefined);
    startDry(async () => {
      const result = source === "saved" ? await dryRunSavedRuleAction(initial.id!) : await dryRunDefinitionAction(formData);
      if (result.ok) setDry({ result: result.data, source });
      else {
        setDry({ message: result.fieldErrors ? "The dry run needs valid conditions. Correct the fields marked above:" : result.message });
        setDryErrors(result.fieldErrors);
      }
    });
  }

  const summary = Object.entries(fieldErrors ?? {});
  const message = errorsFrom === "save" ? state.message : undefined;

  return (
    <form ref={form} onSubmit={submit} onChange={() => setDirty(true)} noValidate className="space-y-4">
      {initial.id ? <input type="hidden" name="id" value={initial.id} /> : null}
      {message ? (
        <div role={state.ok ? "status" : "alert"} className={`rounded border px-3 py-2 ${state.ok ? "border-green-200 bg-green-50 text-ok" : "border-red-200 bg-red-50 text-danger"}`}>
          <p>{message}</p>
          {!state.ok && summary.length ? (
            <ul className="mt-1 list-disc pl-5 text-sm">
              {summary.map(([key, messages]) => <li key={key}>{labelOf(key)}: {messages.join("; ")}</li>)}
            </ul>
          ) : null}
        </div>
      ) : null}

      <fieldset className="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Rule</legend>
        <Field label="Name" name="name" error={errorOf("name")} ids={ids}>
          <input {...fieldProps("name")} defaultValue={initial.name} maxLength={120} autoComplete="off" className={`${FIELD} w-full max-w-md`} />
        </Field>
        <Field label="Object" name="object" error={errorOf("object")} hint="What the rule looks at; the conditions and actions follow it." ids={ids}>
          <select {...fieldProps("object")} value={object} onChange={(e) => setObject(e.target.value as RuleObject)} className={INPUT}>
            <option value="person">People</option>
            <option value="ticket">Tickets</option>
          </select>
        </Field>
        <fieldset aria-describedby={`${ids}-action-note`}>
          <legend className="font-medium">Action</legend>
          <div className="mt-1 space-y-1">
            {ACTION_CHOICES[object].map((choice) => (
              <div key={choice.value} className="flex items-start gap-2">
                <input id={`${ids}-action-${choice.value}`} type="radio" name="action" value={choice.value} defaultChecked={initial.action === choice.value} aria-describedby={`${ids}-action-${choice.value}-hint`} className="mt-1" />
                <div>
                  <label htmlFor={`${ids}-action-${choice.value}`}>{choice.label}</label>
                  <p id={`${ids}-action-${choice.value}-hint`} className="text-sm text-muted">{choice.hint}</p>
                </div>
              </div>
            ))}
          </div>
          <Note id={`${ids}-action-note`} label="Action" error={errorOf("action")} />
        </fieldset>
        <div>
          <label className="flex items-center gap-2 font-medium">
            <input type="checkbox" name="enabled" defaultChecked={initial.enabled} aria-describedby={`${ids}-enabled-note`} />
            Enabled
          </label>
          <Note id={`${ids}-enabled-note`} label="Enabled" error={errorOf("enabled")} hint="A disabled rule never runs. The dry run works either way. A new or changed rule first runs at its next slot." />
        </div>
      </fieldset>

      <fieldset className="rounded border border-line p-4" aria-describedby={`${ids}-conditions-note`}>
        <legend className="px-1 font-semibold">Conditions</legend>
        <Note id={`${ids}-conditions-note`} label="Conditions" error={errorOf("conditions")} hint="All the conditions you fill in must hold. Leave a field empty to ignore it; at least one is needed." />
        <fieldset disabled={object !== "person"} hidden={object !== "person"} className="mt-3 grid gap-4 sm:grid-cols-3">
          <legend className="sr-only">Conditions on people</legend>
          <Field label="Kind" name="conditions.kind" error={errorOf("conditions.kind")} ids={ids}>
            <select {...fieldProps("conditions.kind")} defaultValue={str(initial.object === "person" ? initial.conditions.kind : "")} className={INPUT}>
              <option value="">Any kind</option>
              {PERSON_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </Field>
          <Field label="Status" name="conditions.status" error={errorOf("conditions.status")} ids={ids}>
            <select {...fieldProps("conditions.status")} defaultValue={str(initial.object === "person" ? initial.conditions.status : "")} className={INPUT}>
              <option value="">Any status</option>
              <option value="active">active</option>
              <option value="inactive">inactive</option>
            </select>
          </Field>
          <OrganisationField name="conditions.organisationId" scope="person" ids={ids} organisations={organisations} value={initial.object === "person" ? initial.conditions.organisationId : undefined} error={errorOf("conditions.organisationId")} fieldProps={fieldProps} />
          <Field label="Imported" name="conditions.imported" error={errorOf("conditions.imported")} ids={ids}>
            <select {...fieldProps("conditions.imported")} defaultValue={str(initial.object === "person" ? initial.conditions.imported : "")} className={INPUT}>
              <option value="">Imported or not</option>
              <option value="true">Imported only</option>
              <option value="false">Not imported only</option>
            </select>
          </Field>
          <DaysField name="conditions.lastActivityOlderThanDays" hint="No recorded activity for this long (counted from the record's creation if none)." {...{ ids, fieldProps, errorOf }} value={initial.object === "person" ? initial.conditions.lastActivityOlderThanDays : undefined} />
          <DaysField name="conditions.leavingDateOlderThanDays" hint="The leaving date lies this many days in the past." {...{ ids, fieldProps, errorOf }} value={initial.object === "person" ? initial.conditions.leavingDateOlderThanDays : undefined} />
          <DaysField name="conditions.markedForDeletionOlderThanDays" hint="Marked for deletion at least this many days ago." {...{ ids, fieldProps, errorOf }} value={initial.object === "person" ? initial.conditions.markedForDeletionOlderThanDays : undefined} />
        </fieldset>
        <fieldset disabled={object !== "ticket"} hidden={object !== "ticket"} className="mt-3 grid gap-4 sm:grid-cols-3">
          <legend className="sr-only">Conditions on tickets</legend>
          <Field label="Ticket state" name="conditions.state" error={errorOf("conditions.state")} ids={ids}>
            <select {...fieldProps("conditions.state")} defaultValue={str(initial.object === "ticket" ? initial.conditions.state : "")} className={INPUT}>
              <option value="">Any state</option>
              {TICKET_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </Field>
          <DaysField name="conditions.closedOlderThanDays" hint="Closed this many days ago or earlier, e.g. 365." {...{ ids, fieldProps, errorOf }} value={initial.object === "ticket" ? initial.conditions.closedOlderThanDays : undefined} />
          <DaysField name="conditions.createdOlderThanDays" hint="Opened this many days ago or earlier." {...{ ids, fieldProps, errorOf }} value={initial.object === "ticket" ? initial.conditions.createdOlderThanDays : undefined} />
          <OrganisationField name="conditions.organisationId" scope="ticket" ids={ids} organisations={organisations} value={initial.object === "ticket" ? initial.conditions.organisationId : undefined} error={errorOf("conditions.organisationId")} fieldProps={fieldProps} />
        </fieldset>
      </fieldset>

      <fieldset className="rounded border border-line p-4">
        <legend className="px-1 font-semibold">Schedule</legend>
        <div className="flex flex-wrap items-start gap-x-8 gap-y-3">
          <fieldset aria-describedby={`${ids}-schedule.kind-note`}>
            <legend className="font-medium">Runs</legend>
            <div className="mt-1 flex gap-4">
              <label className="flex items-center gap-2">
                <input type="radio" name="schedule.kind" value="daily" defaultChecked={initial.schedule.kind === "daily"} onChange={() => setScheduleKind("daily")} />
                Every day
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="schedule.kind" value="weekly" defaultChecked={initial.schedule.kind === "weekly"} onChange={() => setScheduleKind("weekly")} />
                On chosen days
              </label>
            </div>
            <Note id={`${ids}-schedule.kind-note`} label="Schedule" error={errorOf("schedule.kind") ?? errorOf("schedule")} />
          </fieldset>
          <fieldset disabled={scheduleKind !== "weekly"} aria-describedby={`${ids}-schedule.days-note`} className="disabled:opacity-50">
            <legend className="font-medium">Days of the week</legend>
            <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
              {WEEK.map((d) => (
                <label key={d.value} className="flex items-center gap-1.5">
                  <input type="checkbox" name="schedule.days" value={d.value} defaultChecked={initial.schedule.days?.includes(d.value)} />
                  {d.name}
                </label>
              ))}
            </div>
            <Note id={`${ids}-schedule.days-note`} label="Days of the week" error={errorOf("schedule.days")} />
          </fieldset>
          <Field label="Hour" name="schedule.hour" error={errorOf("schedule.hour")} hint={`Local time, ${timeZone}.`} ids={ids}>
            <select {...fieldProps("schedule.hour")} defaultValue={String(initial.schedule.hour)} className={`${FIELD} w-28`}>
              {Array.from({ length: 24 }, (_, h) => <option key={h} value={h}>{formatHour(h)}</option>)}
            </select>
          </Field>
        </div>
      </fieldset>

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" disabled={saving}>{saving ? "Saving…" : initial.id ? "Save rule" : "Create rule"}</Button>
        <Button type="button" onClick={dryRun} disabled={dryPending} aria-describedby={`${ids}-dry-hint`}>{dryPending ? "Counting…" : "Dry run"}</Button>
        <span id={`${ids}-dry-hint`} className="text-sm text-muted">
          Dry run — nothing is changed: shows what the {initial.id && !dirty ? "saved rule" : "rule in the form"} would act on now.
        </span>
      </div>

      {dry.result || dry.message ? (
        <section aria-labelledby={`${ids}-dry-title`} className="rounded border border-line bg-panel p-4">
          <h2 id={`${ids}-dry-title`} className="mb-1 font-semibold">Dry run — nothing is changed</h2>
          {dry.message ? (
            <div role="alert" className="text-danger">
              <p>{dry.message}</p>
              {dryErrors ? (
                <ul className="mt-1 list-disc pl-5 text-sm">
                  {Object.entries(dryErrors).map(([key, messages]) => <li key={key}>{labelOf(key)}: {messages.join("; ")}</li>)}
                </ul>
              ) : null}
            </div>
          ) : null}
          {dry.result && !dry.message ? <DryRunResult dryRun={dry.result} source={dry.source ?? "form"} /> : null}
        </section>
      ) : null}
    </form>
  );
}

function Note({ id, label, error, hint }: { id: string; label: string; error?: string; hint?: string }) {
  if (error) return <p id={id} className="mt-0.5 text-sm text-danger">{label}: {error}</p>;
  return hint ? <p id={id} className="mt-0.5 text-sm text-muted">{hint}</p> : <span id={id} hidden />;
}

function Field({ label, name, error, hint, ids, children }: { label: string; name: string; error?: string; hint?: string; ids: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={`${ids}-${name}`} className="block font-medium">{label}</label>
      {children}
      <Note id={`${ids}-${name}-note`} label={label} error={error} hint={hint} />
    </div>
  );
}

type FieldPropsOf = (name: string, key?: string) => { id: string; name: string; "aria-invalid"?: boolean; "aria-describedby": string };

function DaysField({ name, hint, value, ids, fieldProps, errorOf }: { name: string; hint: string; value: unknown; ids: string; fieldProps: FieldPropsOf; errorOf: (n: string) => string | undefined }) {
  return (
    <Field label={labelOf(name)} name={name} error={errorOf(name)} hint={hint} ids={ids}>
      <input {...fieldProps(name)} type="number" inputMode="numeric" min={1} step={1} defaultValue={str(value)} className={`${FIELD} w-32`} />
    </Field>
  );
}

/** Both condition groups have one; `scope` keeps their element ids apart. */
function OrganisationField({ name, scope, value, organisations, error, ids, fieldProps }: { name: string; scope: RuleObject; value: unknown; organisations: Organisation[]; error?: string; ids: string; fieldProps: FieldPropsOf }) {
  const current = value == null ? "" : String(value);
  const known = current === "" || organisations.some((o) => String(o.id) === current);
  const key = `${scope}-${name}`;
  return (
    <Field label="Organisation" name={key} error={error} ids={ids}>
      <select {...fieldProps(name, key)} defaultValue={current} className={INPUT}>
        <option value="">Any organisation</option>
        {known ? null : <option value={current}>Organisation #{current}</option>}
        {organisations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
    </Field>
  );
}
