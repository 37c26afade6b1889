import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { describeRuleAction } from "@/lib/schedule/describe-rule-action";
import { getRetentionRuleById, listRuleRuns, nextSlot, parseStoredRule } from "@/lib/schedule/rules";
import { parseId } from "../../../../_components/params";
import { firstParam, type SearchParams } from "../../../../_components/table-controls";
import { Alert, Badge, Empty, PageHeader, Section } from "../../../../_components/ui";
import { DeleteRuleButton } from "../_components/delete-rule-button";
import { loadEditorContext } from "../_components/editor-context";
import { RuleEditor } from "../_components/rule-editor";
import { describeRunCounts, describeSchedule, formatInZone } from "../_components/rule-words";

export const metadata: Metadata = { title: "Retention rule" };

export default async function RetentionRulePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  await requirePage("admin.data_privacy");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const db = getDb();
  const rule = await getRetentionRuleById(db, { id });
  if (!rule) notFound();
  const [{ organisations, timeZone, settings }, runs] = await Promise.all([loadEditorContext(db), listRuleRuns(db, id, { limit: 50 })]);
  const created = Boolean(firstParam(await searchParams, "created"));
  const valid = parseStoredRule(rule);
  const next = rule.enabled ? nextSlot(rule.schedule, new Date(), timeZone) : null;

  return (
    <>
      <PageHeader
        title={rule.name}
        description={
          <span className="flex flex-wrap items-center gap-x-2">
            {rule.enabled ? <Badge tone="ok">enabled</Badge> : <Badge>disabled</Badge>}
            <span>
              {describeRuleAction(rule.object, rule.action, "en")} · {describeSchedule(rule.schedule)} ({timeZone}) ·{" "}
              <span className="text-muted">next run {next ? formatInZone(next, timeZone) : "none (disabled)"}</span>
            </span>
            <Link href="/privacy/rules">All rules</Link>
          </span>
        }
        actions={<DeleteRuleButton rule={{ id: rule.id, name: rule.name }} />}
      />
      {created ? <Alert tone="ok">Rule created. {rule.enabled ? "It first runs at its next slot." : "It is disabled: enable it when the dry run shows what you expect."}</Alert> : null}
      {!valid.ok ? <Alert tone="danger" title="This rule does not run">{valid.error} Correct it below and save.</Alert> : null}
      {rule.action === "anonymise" && !settings.anonymisationEnabled ? (
        <Alert tone="warn">Anonymisation is switched off in the privacy settings: this rule runs, but anonymises nothing until it is on again.</Alert>
      ) : null}

      <div className="mb-6">
        <RuleEditor
          organisations={organisations}
          timeZone={timeZone}
          initial={{ id: rule.id, name: rule.name, object: rule.object, action: rule.action, conditions: rule.conditions, schedule: rule.schedule, enabled: rule.enabled }}
        />
      </div>

      <Section title="Run log" id="run-log">
        {runs.length === 0 ? (
          <Empty>The rule has not run yet. {rule.enabled ? `Its next run is ${next ? formatInZone(next, timeZone) : "at its next slot"}.` : "It is disabled, so it never runs."}</Empty>
        ) : (
          <table aria-label="Run log">
            <thead>
              <tr><th scope="col">Slot</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Matched</th><th scope="col">Tasks created</th><th scope="col">What was done</th><th scope="col">Result</th></tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td className="whitespace-nowrap">{formatInZone(run.slot, timeZone)}</td>
                  <td className="whitespace-nowrap text-muted">{formatInZone(run.startedAt, timeZone)}</td>
                  <td className="whitespace-nowrap text-muted">{run.finishedAt ? formatInZone(run.finishedAt, timeZone) : "—"}</td>
                  <td className="tabular-nums">{run.matched.toLocaleString("en")}</td>
                  <td className="tabular-nums">{rule.object === "person" ? run.tasksCreated.toLocaleString("en") : <span className="text-muted">—</span>}</td>
                  <td className="text-sm">{describeRunCounts(run.counts)}</td>
                  <td className="text-sm">
                    {run.error ? <><Badge tone="danger">not done</Badge> <span className="text-danger">{run.error}</span></>
                      : run.finishedAt ? <Badge tone="ok">done</Badge> : <Badge tone="info">in progress</Badge>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}
