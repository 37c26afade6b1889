import { type SQL, sql } from "drizzle-orm";
import { ts } from "@/db/sql";
import { addDays, localDate } from "./clock";
import type { PersonConditions, TicketConditions } from "./rule-schemas";

// The conditions of a retention rule as SQL over `people p` or `tickets t`, ANDed.
// "Older than N days" compares with `now` − N × 24 h for timestamps, and with the local
// calendar date − N days for the leaving date (a date without time). A person without
// any recorded activity counts from the day their record was created.

const DAY_MS = 86_400_000;
const before = (now: Date, days: number) => ts(new Date(now.getTime() - days * DAY_MS));

export function personConditionsSql(c: PersonConditions, options: { now: Date; timeZone: string }): SQL {
  const { now } = options;
  const parts: SQL[] = [];
  if (c.kind) parts.push(sql`p.kind = ${c.kind}`);
  if (c.status) parts.push(sql`p.status = ${c.status}`);
  if (c.organisationId != null) parts.push(sql`p.organisation_id = ${c.organisationId}`);
  if (c.imported != null) parts.push(sql`p.imported = ${c.imported}`);
  if (c.lastActivityOlderThanDays != null) {
    parts.push(sql`coalesce(p.last_activity_at, p.created_at) <= ${before(now, c.lastActivityOlderThanDays)}`);
  }
  if (c.leavingDateOlderThanDays != null) {
    const cutoff = addDays(localDate(now, options.timeZone), -c.leavingDateOlderThanDays);
    parts.push(sql`p.leaving_date is not null and p.leaving_date <= ${cutoff}::date`);
  }
  if (c.markedForDeletionOlderThanDays != null) {
    parts.push(sql`p.marked_for_deletion_at is not null and p.marked_for_deletion_at <= ${before(now, c.markedForDeletionOlderThanDays)}`);
  }
  return and(parts);
}

export function ticketConditionsSql(c: TicketConditions, options: { now: Date }): SQL {
  const { now } = options;
  const parts: SQL[] = [];
  if (c.state) parts.push(sql`t.state = ${c.state}`);
  if (c.organisationId != null) parts.push(sql`t.organisation_id = ${c.organisationId}`);
  if (c.closedOlderThanDays != null) parts.push(sql`t.closed_at is not null and t.closed_at <= ${before(now, c.closedOlderThanDays)}`);
  if (c.createdOlderThanDays != null) parts.push(sql`t.created_at <= ${before(now, c.createdOlderThanDays)}`);
  return and(parts);
}

// A rule without conditions is refused by the schema; "false" here keeps a stored rule
// that lost its conditions from ever matching everything.
function and(parts: SQL[]): SQL {
  return parts.length ? sql.join(parts.map((p) => sql`(${p})`), sql` and `) : sql`false`;
}

/**
 * People a rule may queue a DELETION task for, whatever its conditions say (the
 * worker re-checks the same at run time): never system people, never anyone with a
 * login account (staff; also covers "own account" and "last administrator"), never
 * anyone with an open loan or outstanding debt (an automatic rule cannot give the
 * override reason a person must type), never a profile whose anonymisation is
 * prevented (a prevention is a documented reason to keep it), and not twice.
 */
export function deletableByRuleSql(now: Date): SQL {
  return sql`not p.system
    and not exists (select 1 from accounts a where a.person_id = p.id)
    and not exists (select 1 from loans l where l.person_id = p.id and l.returned_at is null)
    and not exists (select 1 from invoices i where i.person_id = p.id and i.amount - i.amount_paid > 0)
    and not (p.prevented_at is not null and (p.prevention_expires_at is null or p.prevention_expires_at > ${ts(now)}))
    and not exists (select 1 from privacy_tasks pt where pt.subject_person_id = p.id and pt.action = 'delete' and pt.status in ('queued', 'running', 'awaiting_approval'))`;
}

/** No open anonymisation task already covers the person. */
export function notQueuedForAnonymisationSql(): SQL {
  return sql`not exists (select 1 from privacy_tasks pt where pt.subject_person_id = p.id and pt.action = 'anonymise' and pt.status in ('queued', 'running'))`;
}
