import { type SQL, sql } from "drizzle-orm";

/**
 * A request's effective due date in SQL: its stored due date moved on by the whole days
 * a pause still running has lasted by `today`, in the organisation's calendar — the
 * arithmetic of clock.ts effectiveDueAt, for the statements that work over many requests
 * (the queue's order, the overview's counts, the reminders, the webhook events), so that
 * all of them agree with the request's page. `row` qualifies the columns (a table name
 * or an alias; none when the statement reads privacy_requests alone).
 */
export function effectiveDueSql(today: string, timeZone: string, row?: string): SQL<string> {
  const column = (name: string) => sql.raw(row ? `${row}.${name}` : name);
  return sql<string>`(${column("due_at")} + case when ${column("paused_since")} is null then 0
    else greatest(0, ${today}::date - (${column("paused_since")} at time zone ${timeZone})::date) end)`;
}
