import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { translateMessage } from "@/lib/i18n/server-messages";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { organisationTimeZone } from "@/lib/schedule/clock";
import { describeRuleAction } from "@/lib/schedule/describe-rule-action";
import { getOrganisationNamesByRules, listRetentionRulesWithLastRun } from "@/lib/schedule/rule-list";
import { nextSlot } from "@/lib/schedule/rules";
import { type SearchParams, firstParam } from "../../../_components/table-controls";
import { Alert, Badge, ButtonLink, Empty, PageHeader } from "../../../_components/ui";
import { describeConditions, describeRunCounts, describeSchedule, formatInZone } from "./_components/rule-words";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("rules"))("title") };
}

export default async function RetentionRulesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("admin.data_privacy");
  const [t, words, locale] = await Promise.all([getTranslations("rules"), getTranslations(), getLocale()]);
  const params = await searchParams;
  const db = getDb();
  const [rules, settings] = await Promise.all([listRetentionRulesWithLastRun(db), getPrivacySettings(db)]);
  const orgNames = await getOrganisationNamesByRules(db, { rules });
  const tz = organisationTimeZone(settings);
  const now = new Date();

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("list.description", { timeZone: tz })}
        actions={<ButtonLink href="/privacy/rules/new" variant="primary" className="text-white!">{t("newRule")}</ButtonLink>}
      />
      {firstParam(params, "deleted") ? <Alert tone="ok">{t("list.deleted")}</Alert> : null}
      {!settings.anonymisationEnabled && rules.some((r) => r.enabled && r.action === "anonymise") ? (
        <Alert tone="warn">{t("list.anonymisationOff")}</Alert>
      ) : null}
      {rules.length === 0 ? (
        <Empty>{t("list.empty")}</Empty>
      ) : (
        <table aria-label={t("title")}>
          <thead>
            <tr>
              <th scope="col">{t("list.columns.rule")}</th><th scope="col">{t("list.columns.object")}</th>
              <th scope="col">{t("list.columns.action")}</th><th scope="col">{t("list.columns.conditions")}</th>
              <th scope="col">{t("list.columns.schedule")}</th><th scope="col">{t("list.columns.status")}</th>
              <th scope="col">{t("list.columns.lastRun")}</th><th scope="col">{t("list.columns.nextRun")}</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => {
              const run = rule.lastRun;
              const next = rule.enabled ? nextSlot(rule.schedule, now, tz) : null;
              return (
                <tr key={rule.id}>
                  <td className="min-w-44 font-medium"><Link href={`/privacy/rules/${rule.id}`}>{rule.name}</Link></td>
                  <td>{t(`objects.${rule.object}`)}</td>
                  <td>{describeRuleAction(rule.object, rule.action, locale)}</td>
                  <td className="max-w-72 text-sm">{describeConditions(rule.object, rule.conditions, words, orgNames)}</td>
                  <td className="whitespace-nowrap">{describeSchedule(rule.schedule, words)}</td>
                  <td>{rule.enabled ? <Badge tone="ok">{t("status.enabled")}</Badge> : <Badge>{t("status.disabled")}</Badge>}</td>
                  <td className="text-sm">
                    {run ? (
                      <>
                        <span className="whitespace-nowrap">{formatInZone(run.startedAt, tz, locale)}</span>
                        <span className="block text-muted">
                          {run.finishedAt ? t("list.lastRunMatched", { matched: run.matched, counts: describeRunCounts(run.counts, words) }) : t("list.inProgress")}
                        </span>
                        {run.error ? <span className="block text-danger">{translateMessage(run.error, locale)}</span> : null}
                      </>
                    ) : <span className="text-muted">{t("list.never")}</span>}
                  </td>
                  <td className="whitespace-nowrap text-sm">{next ? formatInZone(next, tz, locale) : <span className="text-muted">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
