import { desc, eq, getTableColumns, inArray, isNull, or, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { accounts, activityEvents, people, privacyTasks, tickets } from "@/db/schema";
import { hasPermission } from "@/lib/permissions";
import { localDate } from "@/lib/schedule/clock";

// The reads of the overview page (app/(app)/page.tsx), which any signed-in account may
// open: what Lethe holds, and the activity stream as far as the viewer may see it.

export const ACTIVITY_SHOWN = 20;

export async function countRecords(db: DbOrTx) {
  const [peopleCount, ticketCount, queued, running] = await Promise.all([
    db.$count(people),
    db.$count(tickets),
    db.$count(privacyTasks, eq(privacyTasks.status, "queued")),
    db.$count(privacyTasks, eq(privacyTasks.status, "running")),
  ]);
  return { people: peopleCount, tickets: ticketCount, queued, running };
}

/**
 * The latest activity with who did it (the account's e-mail; none for the scheduled runs):
 * entries for everyone, and those whose permission the viewer holds. An auditor
 * (privacy.audit) reads every entry.
 */
export async function listActivityByPermissions(db: DbOrTx, { permissions }: { permissions: readonly string[] }) {
  const everything = hasPermission(permissions, "privacy.audit");
  return db.select({ ...getTableColumns(activityEvents), actorEmail: accounts.email }).from(activityEvents)
    .leftJoin(accounts, eq(accounts.id, activityEvents.actorAccountId))
    .where(everything ? undefined : or(isNull(activityEvents.permission), inArray(activityEvents.permission, [...permissions])))
    .orderBy(desc(activityEvents.createdAt), desc(activityEvents.id))
    .limit(ACTIVITY_SHOWN);
}

export type RequestCounts = { open: number; dueSoon: number; overdue: number };

/**
 * The open data-subject requests (awaiting identity, open, extended) for holders of
 * privacy.requests: all of them, those due within 7 days (today included, not yet
 * overdue) and those overdue, by the effective due date in the organisation's calendar
 * (a pause still running moves it on, as on the queue). One statement over the open
 * statuses of privacy_requests_due_idx.
 */
export async function countOpenRequests(db: DbOrTx, { now, timeZone }: { now: Date; timeZone: string }): Promise<RequestCounts> {
  const today = localDate(now, timeZone);
  const [row] = rows<{ open: number; due_soon: number; overdue: number }>(await db.execute(sql`
    select count(*)::int as open,
      count(*) filter (where effective between ${today}::date and ${today}::date + 7)::int as due_soon,
      count(*) filter (where effective < ${today}::date)::int as overdue
    from (
      select due_at + case when paused_since is null then 0
        else greatest(0, ${today}::date - (paused_since at time zone ${timeZone})::date) end as effective
      from privacy_requests where status in ('awaiting_identity', 'open', 'extended')) r`));
  return { open: Number(row?.open ?? 0), dueSoon: Number(row?.due_soon ?? 0), overdue: Number(row?.overdue ?? 0) };
}
