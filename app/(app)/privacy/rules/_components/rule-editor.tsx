"use client";

import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { Button } from "@/app/_components/ui";
import { useAction } from "@/app/_components/use-action";
import { useActionForm } from "@/app/_components/use-action-form";
import type { FieldErrors } from "@/lib/errors";
import { retentionRuleSchema } from "@/lib/schedule/rule-schemas";
import type { DryRun } from "@/lib/schedule/rules";
import { dryRunDefinitionAction, dryRunSavedRuleAction, saveRetentionRuleAction } from "../actions";
import { DryRunResult } from "./dry-run-result";
import { ConditionFields, type Organisation, RuleFields, ScheduleFields } from "./rule-fields";
import { errorsByField, type FieldKit, formValuesOf, postedConditions, type RuleEditorValues } from "./rule-form";
import { labelOf } from "./rule-words";

type DryRunState = { result?: DryRun; source?: "saved" | "form"; message?: string; fieldErrors?: FieldErrors };

function ErrorList({ errors }: { errors: Record<string, string[]> }) {
  const words = useTranslations();
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return <ul className="mt-1 list-disc pl-5 text-sm">{entries.map(([key, messages]) => <li key={key}>{labelOf(key, words)}: {messages.join("; ")}</li>)}</ul>;
}

/**
 * The one editor for new and existing retention rules. The browser checks the fields with
 * the schema the server checks them with (rule-schemas.ts), then posts the form as it
 * stands; the server's field errors come back keyed like `conditions.closedOlderThanDays`.
 * A create redirects to the new rule's page; nothing typed is reset when a save is refused.
 */
export function RuleEditor({ initial, organisations, timeZone }: { initial: RuleEditorValues; organisations: Organisation[]; timeZone: string }) {
  const t = useTranslations("rules");
  const ids = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [defaults] = useState(() => formValuesOf(initial));
  const { form, submit, pending: saving, failure, done, errors } = useActionForm(retentionRuleSchema, defaults, postedConditions);
  const [dirty, setDirty] = useState(false);
  const [invalid, setInvalid] = useState(false);
  const [errorsFrom, setErrorsFrom] = useState<"save" | "dry">("save");
  const [dry, setDry] = useState<DryRunState>({});
  const dryRun = useAction();
  const [object, scheduleKind] = form.watch(["object", "schedule.kind"]);

  const fieldErrors = errorsByField(errorsFrom === "dry" ? (dry.fieldErrors ?? {}) : errors);
  const kit: FieldKit = { ids, register: form.register, defaults, errorOf: (name) => fieldErrors[name]?.join("; ") };

  const save = submit(async () => {
    setInvalid(false);
    const state = await saveRetentionRuleAction(new FormData(formRef.current!));
    if (state.ok) return { ok: true as const, data: state.message ?? "" };
    return { ok: false as const, message: state.message ?? t("notSaved"), fieldErrors: state.fieldErrors };
  }, {
    success: (message) => message,
    onSuccess: () => setDirty(false),
    onInvalid: () => setInvalid(true),
  });

  function runDry() {
    if (!formRef.current) return;
    const source = initial.id && !dirty ? "saved" : "form";
    const formData = new FormData(formRef.current);
    setErrorsFrom("dry");
    setDry((d) => ({ ...d, fieldErrors: undefined }));
    dryRun.run(async () => {
      const result = source === "saved" ? await dryRunSavedRuleAction(initial.id!) : await dryRunDefinitionAction(formData);
      if (result.ok) setDry({ result: result.data, source });
      else setDry({ message: result.fieldErrors ? t("editor.dryRunInvalid") : result.message, fieldErrors: result.fieldErrors });
    });
  }

  const refused = errorsFrom === "save" ? failure?.message ?? (invalid ? t("notSaved") : undefined) : undefined;
  const saved = errorsFrom === "save" && !refused ? done : null;

  return (
    <form ref={formRef} onSubmit={(e) => { setErrorsFrom("save"); void save(e); }} onChange={() => setDirty(true)} noValidate className="space-y-4">
      {initial.id ? <input type="hidden" name="id" value={initial.id} /> : null}
      {refused ? (
        <div role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-danger">
          <p>{refused}</p>
          <ErrorList errors={errorsByField(errors)} />
        </div>
      ) : null}
      {saved ? <div role="status" className="rounded border border-green-200 bg-green-50 px-3 py-2 text-ok"><p>{saved}</p></div> : null}

      <RuleFields kit={kit} object={object} />
      <ConditionFields kit={kit} object={object} organisations={organisations} storedOrganisation={String(defaults.conditions.organisationId ?? "")} />
      <ScheduleFields kit={kit} weekly={scheduleKind === "weekly"} timeZone={timeZone} />

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" disabled={saving}>{saving ? t("editor.saving") : initial.id ? t("editor.save") : t("editor.create")}</Button>
        <Button type="button" onClick={runDry} disabled={dryRun.pending} aria-describedby={`${ids}-dry-hint`}>{dryRun.pending ? t("editor.counting") : t("editor.dryRun")}</Button>
        <span id={`${ids}-dry-hint`} className="text-sm text-muted">
          {t(initial.id && !dirty ? "editor.dryRunHintSaved" : "editor.dryRunHintForm")}
        </span>
      </div>

      {dry.result || dry.message ? (
        <section aria-labelledby={`${ids}-dry-title`} className="rounded border border-line bg-panel p-4">
          <h2 id={`${ids}-dry-title`} className="mb-1 font-semibold">{t("editor.dryRunTitle")}</h2>
          {dry.message ? (
            <div role="alert" className="text-danger">
              <p>{dry.message}</p>
              {dry.fieldErrors ? <ErrorList errors={errorsByField(dry.fieldErrors)} /> : null}
            </div>
          ) : null}
          {dry.result && !dry.message ? <DryRunResult dryRun={dry.result} source={dry.source ?? "form"} /> : null}
        </section>
      ) : null}
    </form>
  );
}
