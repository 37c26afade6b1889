import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { intArray, ts } from "@/db/sql";
import { env } from "@/lib/env";
import { effectiveDueSql } from "@/lib/requests/due-sql";
import { localDate } from "@/lib/schedule/clock";

// Queueing webhook events: one INSERT … SELECT writes a delivery for every enabled endpoint
// subscribed to the event, in the transaction of what caused it. The body is built in SQL
// from ids, counts, statuses and times only (payloads.ts describes it); nothing personal
// is read. Each delivery's key (endpoint, event id) is unique, and the insert does nothing
// on a conflict: however often or concurrently the same event is queued, each endpoint
// gets it once.

/** A time as the bodies write it, ISO 8601 in UTC with milliseconds, whatever the session's time zone. */
const isoUtc = (value: SQL) => sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const baseUrl = () => env().APP_URL.replace(/\/$/, "");

/**
 * `task.completed` or `task.failed` for tasks that have just ended, called in the
 * transaction that set their final status. The event id carries the task's retry count:
 * a failed task an administrator retried ends again, and that end is an event of its own.
 */
export async function queueTaskEvents(tx: DbOrTx, taskIds: number[], status: "completed" | "failed", now: Date) {
  if (!taskIds.length) return 0;
  const type = `task.${status}`;
  const queued = rows(await tx.execute(sql`
    insert into webhook_deliveries (endpoint_id, event_type, event_id, payload)
    select e.id, ${type}::text, ev.event_id, jsonb_build_object('id', ev.event_id, 'type', ${type}::text, 'createdAt', ${isoUtc(ts(now))}, 'data', ev.data)
    from (
      select t.id, ${type}::text || ':' || t.id || ':' || t.retries as event_id, jsonb_build_object(
        'taskId', t.id, 'action', t.action, 'origin', t.origin, 'status', t.status,
        'subjectPersonId', t.subject_person_id, 'requestId', t.request_id, 'counts', t.counts,
        'deletedTickets', cardinality(t.deleted_ticket_numbers),
        'residueFound', (t.verification ->> 'found')::int,
        'createdAt', ${isoUtc(sql`t.created_at`)}, 'finishedAt', ${isoUtc(sql`t.finished_at`)},
        'url', ${`${baseUrl()}/privacy/tasks/`}::text || t.id) as data
      from privacy_tasks t where t.id = any(${intArray(taskIds)})) ev
    join webhook_endpoints e on e.enabled and ${type}::text = any(e.events)
    order by e.id, ev.id
    on conflict (endpoint_id, event_id) do nothing
    returning 1`));
  return queued.length;
}

/**
 * `request.due_soon` (the effective due date within the next 7 days, today included) and
 * `request.overdue` (past it) for open data-subject requests, as the overview counts
 * them (lib/overview.ts countOpenRequests). Each request yields each event once per due
 * date: the event id names the request and its effective due date, so an extension, which
 * moves the due date, earns the events again, and a cron that was down sends only the
 * request's current state. The deliveries of an open request are kept (purge.ts), so the
 * key outlives the retention of finished deliveries.
 */
export async function queueRequestEvents(db: DbOrTx, { now }: { now: Date }) {
  const [settings] = rows<{ time_zone: string }>(await db.execute(sql`select time_zone from privacy_settings where id = 1`));
  const timeZone = settings?.time_zone ?? "Europe/Berlin";
  const today = localDate(now, timeZone);
  const queued = rows<{ event_type: string }>(await db.execute(sql`
    with due as (
      select r.id, r.type as request_type, r.status,
        ${effectiveDueSql(today, timeZone, "r")} as effective
      from privacy_requests r
      -- the stored due date is never later than the effective one: the index bounds the scan
      where r.status in ('awaiting_identity', 'open', 'extended') and r.due_at <= ${today}::date + 7),
    ev as (
      select d.id, case when d.effective < ${today}::date then 'request.overdue' else 'request.due_soon' end as type,
        d.effective, d.request_type, d.status
      from due d where d.effective <= ${today}::date + 7)
    insert into webhook_deliveries (endpoint_id, event_type, event_id, request_id, payload)
    select e.id, ev.type, ev.type || ':' || ev.id || ':' || ev.effective::text, ev.id,
      jsonb_build_object('id', ev.type || ':' || ev.id || ':' || ev.effective::text, 'type', ev.type,
        'createdAt', ${isoUtc(ts(now))}, 'data', jsonb_build_object(
          'requestId', ev.id, 'requestType', ev.request_type, 'status', ev.status, 'dueAt', ev.effective::text,
          'daysLeft', ev.effective - ${today}::date, 'url', ${`${baseUrl()}/requests/`}::text || ev.id))
    from ev join webhook_endpoints e on e.enabled and ev.type = any(e.events)
    order by e.id, ev.id
    on conflict (endpoint_id, event_id) do nothing
    returning event_type`));
  return { dueSoon: queued.filter((q) => q.event_type === "request.due_soon").length, overdue: queued.filter((q) => q.event_type === "request.overdue").length };
}
