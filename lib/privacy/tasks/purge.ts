import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { ts } from "@/db/sql";

// Logs are personal data too, kept only as long as the settings say:
//   - finished privacy tasks (completed, failed, cancelled) and their activity events
//     after `taskLogRetentionMonths` (default 12);
//   - retention-rule run logs after the same period;
//   - the bodies of delivered (or abandoned) outbox e-mails after
//     `emailBodyRetentionDays` (default 30) — the row stays as a record that a mail
//     went out, with `bodyPurgedAt` set.
// Audit entries name tasks and people by id only; they follow their own, longer
// retention (lib/audit/purge.ts, its own cron step).
// Every statement is idempotent, so concurrent cron calls cannot purge twice, and each is
// SQL that deletes (or blanks) and counts in one round trip, however many rows are due.

export type PurgeResult = { tasks: number; activityEvents: number; ruleRuns: number; emailBodies: number };

export async function purgeLogs(db: Db, options: { now?: Date } = {}): Promise<PurgeResult> {
  const now = options.now ?? new Date();
  const settings = await getPrivacySettings(db);
  const months = settings.taskLogRetentionMonths;
  const days = settings.emailBodyRetentionDays;
  return db.transaction(async (tx) => {
    const [tasks] = rows<{ tasks: number; events: number }>(await tx.execute(sql`
      with gone as (
        delete from privacy_tasks
        where status in ('completed', 'failed', 'cancelled')
          and coalesce(finished_at, created_at) < ${ts(now)} - make_interval(months => ${months})
        returning id),
      events as (
        delete from activity_events e using gone
        where e.object_type = 'privacy_task' and e.object_id = gone.id returning 1)
      select (select count(*) from gone)::int as tasks, (select count(*) from events)::int as events`));
    const ruleRuns = rows(await tx.execute(sql`
      delete from retention_rule_runs
      where coalesce(finished_at, started_at) < ${ts(now)} - make_interval(months => ${months}) returning 1`));
    const bodies = rows(await tx.execute(sql`
      update outbox_emails set html = null, text = null, body_purged_at = ${ts(now)}
      where body_purged_at is null and status in ('sent', 'kept', 'failed')
        and coalesce(sent_at, created_at) < ${ts(now)} - make_interval(days => ${days})
      returning 1`));
    return {
      tasks: Number(tasks.tasks),
      activityEvents: Number(tasks.events),
      ruleRuns: ruleRuns.length,
      emailBodies: bodies.length,
    };
  });
}
