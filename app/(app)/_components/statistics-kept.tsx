import { getLocale, getTranslations } from "next-intl/server";
import type { Formats } from "@/lib/i18n/format";
import { type MonthlyStatistics, OPEN_REQUEST_STATUSES, type OverviewCharts, type RequestCounts } from "@/lib/overview";
import { Section } from "../../_components/ui";
import { BarChart, type Category } from "./charts/bar-chart";
import type { Segment } from "./charts/chart-frame";
import { HorizontalBarChart } from "./charts/horizontal-bar-chart";

// "Statistics kept" on the overview (SPEC §12): tickets per month with the anonymised ones
// as the lower part of each bar, and the people anonymised and deleted per month, for
// the last 24 months in the organisation's time zone; the open requests by status beside
// the requests summary. Which of them a viewer sees is decided by lib/overview/visibility.ts.

const TICKETS: Segment[] = [
  { key: "anonymised", label: "", fill: "fill-accent", swatch: "bg-accent" },
  { key: "rest", label: "", fill: "fill-[#8594a9]", swatch: "bg-[#8594a9]" },
];
const ERASURES: Segment[] = [
  { key: "anonymisations", label: "", fill: "fill-accent", swatch: "bg-accent" },
  { key: "deletions", label: "", fill: "fill-[#a8514c]", swatch: "bg-[#a8514c]" },
];

/** Month axis labels (Jan, Feb, …) with the year under some, and full names (January 2026). */
function monthNames(months: string[], locale: string) {
  const tag = locale === "de" ? "de-DE" : "en-GB";
  const short = new Intl.DateTimeFormat(tag, { month: "short", timeZone: "UTC" });
  const long = new Intl.DateTimeFormat(tag, { month: "long", year: "numeric", timeZone: "UTC" });
  return months.map((m, i): Category & { name: string } => {
    const d = new Date(`${m}T12:00:00Z`);
    // The year under January, and under the first month unless January follows at once.
    const marked = m.endsWith("-01-01") || (i === 0 && !months[1]?.endsWith("-01-01"));
    return { key: m, label: short.format(d), mark: marked ? m.slice(0, 4) : undefined, name: long.format(d) };
  });
}

export async function StatisticsKept({ statistics, charts, f }: { statistics: MonthlyStatistics; charts: OverviewCharts; f: Formats }) {
  const [t, locale] = await Promise.all([getTranslations("overview.statistics"), getLocale()]);
  const months = monthNames(statistics.months.map((m) => m.month), locale);
  const showTable = t("showTable");
  return (
    <Section title={t("title")} id="statistics">
      <p className="mb-3 text-sm text-muted">{t("note", { timeZone: statistics.timeZone })}</p>
      {charts.tickets ? (
        <BarChart
          id="chart-tickets"
          title={t("tickets.title")}
          xLabel={t("tickets.xAxis")}
          yLabel={t("tickets.yAxis")}
          categories={months}
          segments={[{ ...TICKETS[0], label: t("tickets.anonymised") }, { ...TICKETS[1], label: t("tickets.notAnonymised") }]}
          values={statistics.months.map((m) => [m.tickets_anonymised, m.tickets - m.tickets_anonymised])}
          names={statistics.months.map((m, i) => t("tickets.bar", { month: months[i].name, tickets: m.tickets, anonymised: m.tickets_anonymised }))}
          table={{
            head: [t("month"), t("tickets.total"), t("tickets.anonymised")],
            rows: statistics.months.map((m, i) => ({ key: m.month, cells: [months[i].name, f.number(m.tickets), f.number(m.tickets_anonymised)] })),
          }}
          empty={t("tickets.empty")}
          showTable={showTable}
          formatNumber={f.number}
        />
      ) : null}
      {charts.erasures ? (
        <BarChart
          id="chart-erasures"
          title={t("erasures.title")}
          note={t("erasures.note")}
          xLabel={t("erasures.xAxis")}
          yLabel={t("erasures.yAxis")}
          categories={months}
          segments={[{ ...ERASURES[0], label: t("erasures.anonymisations") }, { ...ERASURES[1], label: t("erasures.deletions") }]}
          values={statistics.months.map((m) => [m.anonymisations, m.deletions])}
          names={statistics.months.map((m, i) => t("erasures.bar", { month: months[i].name, anonymised: m.anonymisations, deleted: m.deletions }))}
          table={{
            head: [t("month"), t("erasures.anonymisations"), t("erasures.deletions")],
            rows: statistics.months.map((m, i) => ({ key: m.month, cells: [months[i].name, f.number(m.anonymisations), f.number(m.deletions)] })),
          }}
          empty={t("erasures.empty")}
          showTable={showTable}
          formatNumber={f.number}
        />
      ) : null}
    </Section>
  );
}

/** The open requests by status, under the requests summary (holders of privacy.requests only). */
export async function RequestsByStatus({ counts, f }: { counts: RequestCounts; f: Formats }) {
  const [t, statuses] = await Promise.all([getTranslations("overview.statistics"), getTranslations("requests.statuses")]);
  const bars = OPEN_REQUEST_STATUSES.map((s) => ({ key: s, label: statuses(s), value: counts.byStatus[s] }));
  return (
    <div className="mt-3">
      <HorizontalBarChart
        id="chart-requests"
        title={t("requests.title")}
        xLabel={t("requests.xAxis")}
        bars={bars}
        segment={{ key: "requests", label: t("requests.count"), fill: "fill-accent", swatch: "bg-accent" }}
        names={bars.map((b) => t("requests.bar", { status: b.label, count: b.value }))}
        table={{ head: [t("requests.status"), t("requests.count")], rows: bars.map((b) => ({ key: b.key, cells: [b.label, f.number(b.value)] })) }}
        empty={t("requests.empty")}
        showTable={t("showTable")}
        formatNumber={f.number}
      />
    </div>
  );
}
