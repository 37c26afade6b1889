import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { organisationTimeZone } from "@/lib/schedule/clock";
import { getOrganisationNamesByRules, listRetentionRulesWithLastRun } from "@/lib/schedule/rule-list";
import { describeRuleAction } from "@/lib/schedule/describe-rule-action";
import { nextSlot } from "@/lib/schedule/rules";
import { type SearchParams, firstParam } from "../../../_components/table-controls";
import { Alert, Badge, ButtonLink, Empty, PageHeader } from "../../../_components/ui";
import { describeConditions, describeRunCounts, describeSchedule, formatInZone, OBJECT_LABELS } from "./_components/rule-words";

export const metadata: Metadata = { title: "Retention rules" };

export default async function RetentionRulesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("admin.data_privacy");
  const params = await searchParams;
  const db = getDb();
  const [rules, settings] = await Promise.all([listRetentionRulesWithLastRun(db), getPrivacySettings(db)]);
  const orgNames = await getOrganisationNamesByRules(db, { rules });
  const tz = organisationTimeZone(settings);
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Retention rules"
        description={<>Rules that delete or anonymise people and tickets on a schedule, once their conditions hold. Times are in {tz}.</>}
        actions={<ButtonLink href="/privacy/rules/new" variant="primary" className="text-white!">New rule</ButtonLink>}
      />
      {firstParam(params, "deleted") ? <Alert tone="ok">The rule was deleted.</Alert> : null}
      {!settings.anonymisationEnabled && rules.some((r) => r.enabled && r.action === "anonymise") ? (
        <Alert tone="warn">Anonymisation is switched off in the privacy settings: rules that anonymise run, but do nothing until it is on again.</Alert>
      ) : null}
      {rules.length === 0 ? (
        <Empty>
          No retention rules yet. A rule selects people or tickets by conditions — for example tickets closed more than a year ago — and
          anonymises or deletes them on a schedule. Start with “New rule”; its dry run shows what it would touch before it ever runs.
        </Empty>
      ) : (
        <table aria-label="Retention rules">
          <thead>
            <tr>
              <th scope="col">Rule</th><th scope="col">Object</th><th scope="col">Action</th><th scope="col">Conditions</th>
              <th scope="col">Schedule</th><th scope="col">Status</th><th scope="col">Last run</th><th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => {
              const run = rule.lastRun;
              const next = rule.enabled ? nextSlot(rule.schedule, now, tz) : null;
              return (
                <tr key={rule.id}>
                  <td className="min-w-44 font-medium"><Link href={`/privacy/rules/${rule.id}`}>{rule.name}</Link></td>
                  <td>{OBJECT_LABELS[rule.object]}</td>
                  <td>{describeRuleAction(rule.object, rule.action, "en")}</td>
                  <td className="max-w-72 text-sm">{describeConditions(rule.object, rule.conditions, orgNames)}</td>
                  <td className="whitespace-nowrap">{describeSchedule(rule.schedule)}</td>
                  <td>{rule.enabled ? <Badge tone="ok">enabled</Badge> : <Badge>disabled</Badge>}</td>
                  <td className="text-sm">
                    {run ? (
                      <>
                        <span className="whitespace-nowrap">{formatInZone(run.startedAt, tz)}</span>
                        <span className="block text-muted">
                          {run.finishedAt ? `${run.matched.toLocaleString("en")} matched · ${describeRunCounts(run.counts)}` : "in progress"}
                        </span>
                        {run.error ? <span className="block text-danger">{run.error}</span> : null}
                      </>
                    ) : <span className="text-muted">never</span>}
                  </td>
                  <td className="whitespace-nowrap text-sm">{next ? formatInZone(next, tz) : <span className="text-muted">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
