import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { translateMessage } from "@/lib/i18n/server-messages";
import { describeRuleAction } from "@/lib/schedule/describe-rule-action";
import { getRetentionRuleById, listRuleRuns, nextSlot, parseStoredRule } from "@/lib/schedule/rules";
import { getFormats } from "../../../../_components/format-server";
import { parseId } from "../../../../_components/params";
import { firstParam, type SearchParams } from "../../../../_components/table-controls";
import { Alert, Badge, Empty, PageHeader, Section } from "../../../../_components/ui";
import { DeleteRuleButton } from "../_components/delete-rule-button";
import { loadEditorContext } from "../_components/editor-context";
import { RuleEditor } from "../_components/rule-editor";
import { describeRunCounts, describeSchedule, formatInZone } from "../_components/rule-words";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("rules"))("rulePage.title") };
}

export default async function RetentionRulePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  await requirePage("admin.data_privacy");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const db = getDb();
  const rule = await getRetentionRuleById(db, { id });
  if (!rule) notFound();
  const [{ organisations, timeZone, settings }, runs, t, words, locale, f] = await Promise.all([
    loadEditorContext(db), listRuleRuns(db, id, { limit: 50 }), getTranslations("rules"), getTranslations(), getLocale(), getFormats(),
  ]);
  const created = Boolean(firstParam(await searchParams, "created"));
  const valid = parseStoredRule(rule);
  const next = rule.enabled ? nextSlot(rule.schedule, new Date(), timeZone) : null;
  const when = (value: Date | string | null | undefined) => formatInZone(value, timeZone, locale);

  return (
    <>
      <PageHeader
        title={rule.name}
        description={
          <span className="flex flex-wrap items-center gap-x-2">
            {rule.enabled ? <Badge tone="ok">{t("status.enabled")}</Badge> : <Badge>{t("status.disabled")}</Badge>}
            <span>
              {describeRuleAction(rule.object, rule.action, locale)} · {describeSchedule(rule.schedule, words)} ({timeZone}) ·{" "}
              <span className="text-muted">{next ? t("rulePage.nextRun", { when: when(next) }) : t("rulePage.nextRunNone")}</span>
            </span>
            <Link href="/privacy/rules">{t("rulePage.allRules")}</Link>
          </span>
        }
        actions={<DeleteRuleButton rule={{ id: rule.id, name: rule.name }} />}
      />
      {created ? <Alert tone="ok">{t("rulePage.created")} {t(rule.enabled ? "rulePage.createdEnabled" : "rulePage.createdDisabled")}</Alert> : null}
      {!valid.ok ? <Alert tone="danger" title={t("rulePage.invalidTitle")}>{translateMessage(valid.error, locale)} {t("rulePage.invalidFix")}</Alert> : null}
      {rule.action === "anonymise" && !settings.anonymisationEnabled ? (
        <Alert tone="warn">{t("rulePage.anonymisationOff")}</Alert>
      ) : null}

      <div className="mb-6">
        <RuleEditor
          organisations={organisations}
          timeZone={timeZone}
          initial={{ id: rule.id, name: rule.name, object: rule.object, action: rule.action, conditions: rule.conditions, schedule: rule.schedule, enabled: rule.enabled }}
        />
      </div>

      <Section title={t("runLog.title")} id="run-log">
        {runs.length === 0 ? (
          <Empty>
            {t("runLog.notRunYet")}{" "}
            {rule.enabled ? (next ? t("runLog.nextRunAt", { when: when(next) }) : t("runLog.nextRunAtSlot")) : t("runLog.neverRuns")}
          </Empty>
        ) : (
          <table aria-label={t("runLog.title")}>
            <thead>
              <tr>
                <th scope="col">{t("runLog.columns.slot")}</th><th scope="col">{t("runLog.columns.started")}</th>
                <th scope="col">{t("runLog.columns.finished")}</th><th scope="col">{t("runLog.columns.matched")}</th>
                <th scope="col">{t("runLog.columns.tasksCreated")}</th><th scope="col">{t("runLog.columns.done")}</th>
                <th scope="col">{t("runLog.columns.result")}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td className="whitespace-nowrap">{when(run.slot)}</td>
                  <td className="whitespace-nowrap text-muted">{when(run.startedAt)}</td>
                  <td className="whitespace-nowrap text-muted">{run.finishedAt ? when(run.finishedAt) : "—"}</td>
                  <td className="tabular-nums">{f.number(run.matched)}</td>
                  <td className="tabular-nums">{rule.object === "person" ? f.number(run.tasksCreated) : <span className="text-muted">—</span>}</td>
                  <td className="text-sm">{describeRunCounts(run.counts, words)}</td>
                  <td className="text-sm">
                    {run.error ? <><Badge tone="danger">{t("runLog.result.notDone")}</Badge> <span className="text-danger">{translateMessage(run.error, locale)}</span></>
                      : run.finishedAt ? <Badge tone="ok">{t("runLog.result.done")}</Badge> : <Badge tone="info">{t("runLog.result.inProgress")}</Badge>}
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
