import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { effectiveDueSql } from "@/lib/requests/due-sql";
import { localDate } from "@/lib/schedule/clock";

// The open data-subject requests on the overview (SPEC §11, §12), for holders of
// privacy.requests only: the summary's counts and the chart of open requests by status.

/** The statuses of an open request, in the order a request moves through them. */
export const OPEN_REQUEST_STATUSES = ["awaiting_identity", "open", "extended"] as const;
export type OpenRequestStatus = (typeof OPEN_REQUEST_STATUSES)[number];

export type RequestCounts = { open: number; dueSoon: number; overdue: number; byStatus: Record<OpenRequestStatus, number> };

/**
 * The open data-subject requests (awaiting identity, open, extended): all of them, each
 * status, those due within 7 days (today included, not yet overdue) and those overdue, by
 * the effective due date in the organisation's calendar (a pause still running moves it
 * on, as on the queue). One statement over the open statuses of privacy_requests_due_idx.
 */
export async function countOpenRequests(db: DbOrTx, { now, timeZone }: { now: Date; timeZone: string }): Promise<RequestCounts> {
  const today = localDate(now, timeZone);
  const [row] = rows<{ open: number; due_soon: number; overdue: number; awaiting_identity: number; open_status: number; extended: number }>(await db.execute(sql`
    select count(*)::int as open,
      count(*) filter (where effective between ${today}::date and ${today}::date + 7)::int as due_soon,
      count(*) filter (where effective < ${today}::date)::int as overdue,
      count(*) filter (where status = 'awaiting_identity')::int as awaiting_identity,
      count(*) filter (where status = 'open')::int as open_status,
      count(*) filter (where status = 'extended')::int as extended
    from (
      select status, ${effectiveDueSql(today, timeZone)} as effective
      from privacy_requests where status in ('awaiting_identity', 'open', 'extended')) r`));
  const n = (value: number | undefined) => Number(value ?? 0);
  return {
    open: n(row?.open), dueSoon: n(row?.due_soon), overdue: n(row?.overdue),
    byStatus: { awaiting_identity: n(row?.awaiting_identity), open: n(row?.open_status), extended: n(row?.extended) },
  };
}
