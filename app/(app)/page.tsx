import Link from "next/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { type ActivityWords, readActivity } from "@/lib/activity-words";
import { requirePage } from "@/lib/auth/session";
import {
  countOpenRequests, countRecords, listActivityByPermissions, listMonthlyCounts, overviewChartsFor, type RequestCounts, seriesFor,
} from "@/lib/overview";
import { countOpenMentions, reviewableActions } from "@/lib/privacy/mentions/review";
import { getFormats } from "../_components/format-server";
import { DescriptionList, Empty, PageHeader, Section } from "../_components/ui";
import { CycleTimeline } from "./_components/cycle-timeline";
import { RequestsByStatus, StatisticsKept } from "./_components/statistics-kept";

export async function generateMetadata() {
  return { title: (await getTranslations("overview"))("title") };
}

type Translate = Awaited<ReturnType<typeof getTranslations<"overview.activity">>>;

/** An activity entry in the reader's language; ids and years are written bare, as they are stored. */
function activityText(words: ActivityWords, t: Translate) {
  switch (words.kind) {
    case "annualRun": return t("annualRun", { year: String(words.year), count: words.count });
    case "taskCreated": return t("taskCreated", { taskId: String(words.taskId), subject: words.subject });
    case "taskCreatedByRule": return t("taskCreatedByRule", { taskId: String(words.taskId), subject: words.subject, ruleId: String(words.ruleId) });
    case "taskCancelled": return t("taskCancelled", { taskId: String(words.taskId), subject: words.subject });
    case "taskRetried": return t("taskRetried", { taskId: String(words.taskId), subject: words.subject });
    case "taskApproved": return t("taskApproved", { taskId: String(words.taskId), subject: words.subject });
    case "taskFailed": return t("taskFailed", { taskId: String(words.taskId), subject: words.subject });
    case "taskCompleted": return t("taskCompleted", { taskId: String(words.taskId), subject: words.subject, tickets: words.tickets });
    case "anonymisationCreated": return t("anonymisationCreated", { taskId: String(words.taskId), subject: words.subject });
    case "bulkAnonymisation": return t("bulkAnonymisation", { count: words.count });
    case "ticketsDeleted": return t(words.more ? "ticketsDeletedMore" : "ticketsDeleted", { count: words.count, messages: words.messages, numbers: words.numbers, more: words.more });
    case "other": return words.summary;
  }
}

type Formats = Awaited<ReturnType<typeof getFormats>>;
type OverviewWords = Awaited<ReturnType<typeof getTranslations<"overview">>>;

/** The open data-subject requests, each count a link to the queue filtered to it. */
function RequestsSummary({ counts, t, f }: { counts: RequestCounts; t: OverviewWords; f: Formats }) {
  const queue = (filter: string) => `/requests?status=open${filter}`;
  return (
    <Section title={t("requests.title")} id="requests">
      <DescriptionList
        items={[
          [t("requests.open"), <Link key="open" href={queue("")}>{f.number(counts.open)}</Link>],
          [t("requests.dueSoon"), <Link key="soon" href={queue("&due=7d")}>{f.number(counts.dueSoon)}</Link>],
          [t("requests.overdue"), counts.overdue > 0
            ? <Link key="overdue" href={queue("&due=overdue")} className="font-semibold text-danger">{t("requests.overdueCount", { count: counts.overdue })}</Link>
            : <span key="overdue" className="text-muted">{t("requests.none")}</span>],
        ]}
      />
      <RequestsByStatus counts={counts} f={f} />
    </Section>
  );
}

export default async function OverviewPage() {
  const actor = await requirePage();
  const db = getDb();
  const now = new Date();
  // Only holders of privacy.requests see the requests, counted only for them; the monthly
  // statistics read only the series of the charts the viewer sees.
  const charts = overviewChartsFor(actor.permissions);
  const requests = charts.requests ? countOpenRequests(db, { now, timeZone: actor.timeZone }) : null;
  const [counts, events, t, tActivity, f, r, openMentions, requestCounts, statistics] = await Promise.all([
    countRecords(db),
    listActivityByPermissions(db, { permissions: actor.permissions }),
    getTranslations("overview"),
    getTranslations("overview.activity"),
    getFormats(),
    getTranslations("redactions"),
    countOpenMentions(db, { permissions: actor.permissions }),
    requests,
    listMonthlyCounts(db, { now, series: seriesFor(charts) }),
  ]);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-8 md:grid-cols-[1fr_2fr]">
        <div>
          <Section title={t("records.title")}>
            <DescriptionList
              items={[
                [t("records.people"), f.number(counts.people)],
                [t("records.tickets"), f.number(counts.tickets)],
                [t("records.queued"), f.number(counts.queued)],
                [t("records.running"), f.number(counts.running)],
                ...(reviewableActions(actor.permissions).length
                  ? [[r("overviewLabel"), <Link key="m" href="/privacy/redactions">{f.number(openMentions)}</Link>] as [string, ReactNode]] : []),
              ]}
            />
          </Section>
          {requestCounts ? <RequestsSummary counts={requestCounts} t={t} f={f} /> : null}
          <CycleTimeline permissions={actor.permissions} />
        </div>
        <div>
          <StatisticsKept statistics={statistics} charts={charts} f={f} />
          <Section title={t("activity.title")} id="activity">
            {events.length === 0 ? (
              <Empty>{t("activity.empty")}</Empty>
            ) : (
              <ul className="divide-y divide-line rounded border border-line">
                {events.map((e) => (
                  <li key={e.id} className="flex justify-between gap-4 px-3 py-2">
                    <span className="min-w-0 break-words">
                      {activityText(readActivity(e.summary), tActivity)}
                      <span className="block text-sm text-muted">
                        {e.actorEmail ? tActivity("by", { actor: e.actorEmail })
                          : e.actorAccountId != null ? tActivity("byFormerAccount", { id: String(e.actorAccountId) })
                          : tActivity("byScheduledRun")}
                      </span>
                    </span>
                    <time className="shrink-0 text-muted" dateTime={e.createdAt.toISOString()}>{f.dateTime(e.createdAt)}</time>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      </div>
    </>
  );
}
