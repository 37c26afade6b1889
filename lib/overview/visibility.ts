import type { MonthCountSeries } from "@/db/schema";
import { hasPermission, type Permission } from "@/lib/permissions";

// Who sees which chart of "Statistics kept" (SPEC §12) on the overview, which every
// signed-in account may open. The counts hold no personal data, but the page follows what
// it already shows to whom:
// - tickets per month: to everyone, as the number of tickets held already is;
// - anonymisations and deletions per month: to those who read the privacy tasks on the
//   task monitor (admin.data_privacy, privacy.audit — the Auditor reads "the statistics",
//   SPEC §13), since the activity stream shows task entries to no one else;
// - open requests by status: to holders of privacy.requests, as the requests summary is.

export const ERASURE_VIEWERS: readonly Permission[] = ["admin.data_privacy", "privacy.audit"];

export type OverviewCharts = { tickets: boolean; erasures: boolean; requests: boolean };

export function overviewChartsFor(permissions: readonly string[]): OverviewCharts {
  return {
    tickets: true,
    erasures: ERASURE_VIEWERS.some((p) => hasPermission(permissions, p)),
    requests: hasPermission(permissions, "privacy.requests"),
  };
}

/** The monthly series the viewer's charts need: nothing else is read. */
export function seriesFor(charts: OverviewCharts): MonthCountSeries[] {
  return [
    ...(charts.tickets ? (["tickets", "tickets_anonymised"] as const) : []),
    ...(charts.erasures ? (["anonymisations", "deletions"] as const) : []),
  ];
}
