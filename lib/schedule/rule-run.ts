import { randomUUID } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { createElement } from "react";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { people, type PrivacySettings, type RetentionRule, retentionRuleRuns, retentionRules, tickets } from "@/db/schema";
import RuleRunReportEmail, { ruleRunReportSubject } from "@/emails/rule-run-report";
import { recordAudit } from "@/lib/audit";
import { enqueueInRecipientLanguages } from "@/lib/email/recipient-language";
import { env } from "@/lib/env";
import { translateMessage } from "@/lib/i18n/server-messages";
import { anonymiseTicketRows } from "@/lib/privacy/anonymise/anonymise-tickets";
import { ticketFingerprintSql } from "@/lib/privacy/ledger/tickets";
import { deleteTicketRows } from "@/lib/tickets/deletion/delete-rows";
import { maskedLabel } from "@/lib/privacy/masking";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { jsonb, ts } from "@/db/sql";
import { organisationTimeZone } from "./clock";
import { findAccountWithPermission, listAccountsWithPermission } from "./recipients";
import { describeRuleAction } from "./describe-rule-action";
import type { ParsedRule } from "./rule-schemas";
import { latestSlot, parseStoredRule, ruleSelectionSql } from "./rules";

// Runs the retention rules that are due (the cron step).
//
// - A rule is due when its latest schedule slot (daily or on the chosen weekdays, at
//   the hour, in the organisation's time zone) is at or after the rule's last change
//   (a new or edited rule first runs at its next slot) and has no run row yet. Only the
//   latest slot is run: slots missed while cron was down are not replayed one by one —
//   each run acts on what matches at that moment anyway.
// - The slot is claimed by inserting its retention_rule_runs row (unique rule + slot,
//   ON CONFLICT DO NOTHING RETURNING) in the transaction that does the work, so
//   concurrent cron calls run each slot once.
// - People rules queue tasks (origin "rule") in that one transaction, with their audit
//   and activity rows, in one SQL statement. Ticket rules work in batches of
//   TICKET_BATCH tickets (a batch deleted and counted in one statement), each batch its
//   own transaction holding the run row's lock (FOR UPDATE SKIP LOCKED: one worker per
//   run); an interrupted run (deadline, crash) stays unfinished and the next call
//   continues it, judged at the run's own start time so the selection does not drift.
// - Rules that anonymise do nothing while anonymisation is disabled in the settings;
//   the run row records why.
// - The report e-mail goes to the rule's creator while they are an active
//   admin.data_privacy holder, otherwise to every such holder; only runs that acted on
//   something or failed send one (a daily rule must not mail "nothing to do" daily).

export const TICKET_BATCH = 1000;

export type RuleRunOutcome = { ruleId: number; runId: number; slot: Date; matched: number; counts: Record<string, number>; finished: boolean; error?: string };
export type RulesRunResult = { due: number; ran: RuleRunOutcome[]; continued: number; failed: { ruleId: number; error: string }[] };

export async function runDueRules(db: Db, options: { now: Date; deadline?: number }): Promise<RulesRunResult> {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const settings = await getPrivacySettings(db);
  const tz = organisationTimeZone(settings);
  const result: RulesRunResult = { due: 0, ran: [], continued: 0, failed: [] };

  // Interrupted ticket runs first: they were due before anything new.
  const unfinished = await db.select({ id: retentionRuleRuns.id }).from(retentionRuleRuns)
    .where(isNull(retentionRuleRuns.finishedAt)).orderBy(asc(retentionRuleRuns.id));
  for (const { id } of unfinished) {
    if (Date.now() >= deadline) break;
    try {
      if (await continueTicketRun(db, id, { settings, deadline })) result.continued++;
    } catch (error) {
      console.error(`[lethe] retention rule run #${id} failed`, error);
    }
  }

  const enabled = await db.select().from(retentionRules).where(eq(retentionRules.enabled, true)).orderBy(retentionRules.id);
  const due = enabled
    .map((rule) => ({ rule, slot: latestSlot(rule.schedule, options.now, tz) }))
    .filter((d): d is { rule: RetentionRule; slot: Date } => d.slot != null && d.slot.getTime() >= d.rule.updatedAt.getTime());
  if (!due.length) return result;
  const taken = new Set(rows<{ key: string }>(await db.execute(sql`
    select r.rule_id || ':' || (extract(epoch from r.slot) * 1000)::bigint as key from retention_rule_runs r
    join jsonb_to_recordset(${jsonb(due.map((d) => ({ rule_id: d.rule.id, slot: d.slot.toISOString() })))}) as v(rule_id int, slot timestamptz)
      on v.rule_id = r.rule_id and v.slot = r.slot`)).map((r) => r.key));
  for (const { rule, slot } of due) {
    if (taken.has(`${rule.id}:${slot.getTime()}`)) continue;
    if (Date.now() >= deadline) break;
    result.due++;
    try {
      const outcome = await runRuleSlot(db, rule, slot, { now: options.now, settings, deadline });
      if (outcome) result.ran.push(outcome);
    } catch (error) {
      // The claim rolled back with the work: the slot is retried at the next call.
      console.error(`[lethe] retention rule #${rule.id} failed`, error);
      result.failed.push({ ruleId: rule.id, error: "The run failed; the error has been logged on the server." });
    }
  }
  return result;
}

type RunContext = { now: Date; settings: PrivacySettings; deadline: number };

/** Claims one slot of one rule and runs it; null when another call already claimed it. */
export async function runRuleSlot(db: Db, rule: RetentionRule, slot: Date, ctx: RunContext): Promise<RuleRunOutcome | null> {
  const claimed = await db.transaction(async (tx) => {
    // The rule's row first, as an edit of the rule takes it, and only then the audit log's
    // append lock (taken by the first audit entry of a transaction): a run that queued
    // tasks and audited them before touching the rule would wait on an edit that waits on it.
    await tx.execute(sql`select id from retention_rules where id = ${rule.id} for update`);
    const [run] = rows<{ id: number }>(await tx.execute(sql`
      insert into retention_rule_runs (rule_id, slot, started_at) values (${rule.id}, ${ts(slot)}, ${ts(ctx.now)})
      on conflict (rule_id, slot) do nothing returning id`));
    if (!run) return null;
    const runId = Number(run.id);
    const parsed = parseStoredRule(rule);
    const base = { ruleId: rule.id, runId, slot };
    if (!parsed.ok) return { ...base, ...(await finishRun(tx, runId, rule, ctx, { matched: 0, counts: {}, error: parsed.error })) };
    if (parsed.rule.action === "anonymise" && !ctx.settings.anonymisationEnabled) {
      const error = "Anonymisation is disabled in the settings; nothing was done.";
      return { ...base, ...(await finishRun(tx, runId, rule, ctx, { matched: 0, counts: {}, error })) };
    }
    const { matched, selected, onHold } = ruleSelectionSql(parsed.rule, ctx);
    const [{ n }] = rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from (${matched}) m`));
    if (parsed.rule.object === "ticket") {
      // Tickets whose customer is on hold are left alone; the run's report says how many.
      const [{ held }] = rows<{ held: number }>(await tx.execute(sql`select count(*)::int as held from (${onHold}) h`));
      const counts = Number(held) ? { onHold: Number(held) } : {};
      await tx.execute(sql`update retention_rule_runs set matched = ${Number(n)}, counts = ${jsonb(counts)} where id = ${runId}`);
      return { ...base, ticket: parsed.rule };
    }
    const queued = await queuePersonTasks(tx, rule, parsed.rule, selected, ctx.now);
    const counts = { matched: Number(n), selected: queued.selected, skipped: Number(n) - queued.selected, tasksCreated: queued.tasksCreated, alreadyQueued: queued.alreadyQueued };
    return { ...base, ...(await finishRun(tx, runId, rule, ctx, { matched: Number(n), counts })) };
  });
  if (!claimed) return null;
  if (!("ticket" in claimed)) return claimed;
  await continueTicketRun(db, claimed.runId, ctx);
  const [after] = await db.select({ matched: retentionRuleRuns.matched, counts: retentionRuleRuns.counts, finishedAt: retentionRuleRuns.finishedAt })
    .from(retentionRuleRuns).where(eq(retentionRuleRuns.id, claimed.runId));
  return { ruleId: rule.id, runId: claimed.runId, slot, matched: after.matched, counts: after.counts, finished: after.finishedAt != null };
}

/** One statement per rule run; tasks carry the rule in `reason` and one batch id. */
async function queuePersonTasks(tx: DbOrTx, stored: RetentionRule, rule: ParsedRule, selected: ReturnType<typeof ruleSelectionSql>["selected"], now: Date) {
  const found = await tx.select({
    id: people.id, firstName: people.firstName, lastName: people.lastName,
    tickets: rule.action === "delete" ? tx.$count(tickets, eq(tickets.customerId, people.id)) : sql<number>`0`,
  }).from(people).where(sql`${people.id} in (${selected})`).orderBy(asc(people.id));
  const values = found.map((p) => ({ id: p.id, label: maskedLabel(p.firstName, p.lastName), total: Number(p.tickets) + 1 }));
  const batchId = randomUUID();
  const reason = `Retention rule #${stored.id}: ${stored.name}`.slice(0, 500);
  // A rule files its tasks under its own number and name.
  const reference = `Rule #${stored.id}: ${stored.name}`.slice(0, 200);
  const [r] = rows<{ created: number }>(await tx.execute(sql`
    with ins as (
      insert into privacy_tasks (action, origin, subject_person_id, subject_label, batch_id, reason, reference, progress_total, created_at)
      select ${rule.action}::task_action, 'rule', v.id, v.label, ${batchId}, ${reason}, ${reference}, v.total, ${ts(now)}
      from jsonb_to_recordset(${jsonb(values)}) as v(id int, label text, total int)
      order by v.id
      on conflict (subject_person_id, action) where status in ('queued', 'running') do nothing
      returning id, action, subject_person_id, subject_label),
    audit as (
      insert into audit_entries (actor_account_id, action, target_type, target_id, details)
      select null, 'privacy_task.created', 'privacy_task', id,
        jsonb_build_object('action', action, 'subjectPersonId', subject_person_id, 'origin', 'rule', 'ruleId', ${stored.id}::int)
      from ins),
    activity as (
      insert into activity_events (actor_account_id, verb, object_type, object_id, summary, permission)
      select null, 'created', 'privacy_task', id,
        'Deletion task #' || id || ' created for ' || subject_label || ' by retention rule #' || ${stored.id}::int, 'admin.data_privacy'
      from ins where action = 'delete')
    select count(*)::int as created from ins`));
  const created = Number(r.created);
  return { selected: values.length, tasksCreated: created, alreadyQueued: values.length - created };
}

/**
 * Works through an unfinished ticket run batch by batch until it is done or the
 * deadline passes. Returns false when another call holds the run.
 */
async function continueTicketRun(db: Db, runId: number, ctx: { settings: PrivacySettings; deadline: number }): Promise<boolean> {
  for (;;) {
    const step = await db.transaction(async (tx) => {
      // One caller per run: another that holds it is left to finish it.
      const [run] = await tx.select().from(retentionRuleRuns)
        .where(and(eq(retentionRuleRuns.id, runId), isNull(retentionRuleRuns.finishedAt))).for("update", { skipLocked: true });
      if (!run) return "busy" as const;
      const [stored] = await tx.select().from(retentionRules).where(eq(retentionRules.id, run.ruleId));
      const parsed = stored ? parseStoredRule(stored) : null;
      const runNow = run.startedAt;
      if (!stored || !parsed?.ok || parsed.rule.object !== "ticket") {
        await tx.execute(sql`update retention_rule_runs set finished_at = ${ts(runNow)}, error = ${"The rule was changed or removed during the run."} where id = ${runId}`);
        return "done" as const;
      }
      const { selected } = ruleSelectionSql(parsed.rule, { now: runNow, settings: ctx.settings });
      const counts = { ...run.counts };
      const add = (key: string, n: number) => (counts[key] = (counts[key] ?? 0) + n);
      let touched: number;
      // Tickets locked in id order before their messages: the one lock order of
      // lib/privacy/erasure/lock-order.ts, shared with anonymisation and deletion tasks.
      if (parsed.rule.action === "delete") {
        // As tickets deleted by hand: with their review items, and in the erasure ledger, so
        // that a backup restored later does not bring them back (lib/tickets/deletion).
        const batch = rows<{ id: number; fingerprint: string }>(await tx.execute(sql`
          select t.id, ${ticketFingerprintSql("t")} as fingerprint from tickets t
          where t.id in (${selected}) order by t.id limit ${TICKET_BATCH} for update skip locked`));
        const d = await deleteTicketRows(tx, batch, { now: runNow });
        touched = Number(d.tickets);
        add("ticketsDeleted", touched);
        add("messagesDeleted", Number(d.messages));
      } else {
        const ids = (await tx.select({ id: tickets.id }).from(tickets).where(sql`${tickets.id} in (${selected})`)
          .orderBy(asc(tickets.id)).limit(TICKET_BATCH).for("update", { skipLocked: true })).map((r) => r.id);
        touched = ids.length;
        if (ids.length) {
          const result = await anonymiseTicketRows(tx, ids, { now: runNow });
          add("ticketsAnonymised", ids.length);
          for (const [key, n] of Object.entries(result ?? {})) if (typeof n === "number" && key !== "tickets") add(key, n);
        }
      }
      const finished = touched < TICKET_BATCH;
      await tx.execute(sql`update retention_rule_runs set counts = ${jsonb(counts)} where id = ${runId}`);
      if (finished) await finishRun(tx, runId, stored, { now: runNow, settings: ctx.settings }, { matched: run.matched, counts: { matched: run.matched, ...counts } });
      return finished ? ("done" as const) : ("more" as const);
    });
    if (step === "busy") return false;
    if (step === "done" || Date.now() >= ctx.deadline) return true;
  }
}

/** Closes a run once (finished_at is set only here), logs it, and mails the report. */
async function finishRun(
  tx: DbOrTx, runId: number, rule: RetentionRule, ctx: { now: Date; settings: PrivacySettings },
  outcome: { matched: number; counts: Record<string, number>; error?: string },
) {
  const created = outcome.counts.tasksCreated ?? 0;
  const [closed] = rows<{ id: number }>(await tx.execute(sql`
    update retention_rule_runs set finished_at = ${ts(ctx.now)}, matched = ${outcome.matched}, tasks_created = ${created},
      counts = ${jsonb(outcome.counts)}, error = ${outcome.error ?? null}
    where id = ${runId} and finished_at is null returning id`));
  if (!closed) return { matched: outcome.matched, counts: outcome.counts, finished: true, error: outcome.error };
  await tx.execute(sql`update retention_rules set last_run_at = ${ts(ctx.now)} where id = ${rule.id}`);
  await recordAudit(tx, {
    actorAccountId: null, action: "retention_rule.ran", targetType: "retention_rule", targetId: rule.id,
    details: { runId, matched: outcome.matched, counts: outcome.counts, ...(outcome.error ? { error: outcome.error } : {}) },
  });
  const acted = ["tasksCreated", "ticketsDeleted", "ticketsAnonymised"].some((k) => (outcome.counts[k] ?? 0) > 0);
  if (acted || outcome.error) await mailReport(tx, runId, rule, ctx, outcome);
  return { matched: outcome.matched, counts: outcome.counts, finished: true, error: outcome.error };
}

async function mailReport(
  tx: DbOrTx, runId: number, rule: RetentionRule, ctx: { now: Date; settings: PrivacySettings },
  outcome: { counts: Record<string, number>; error?: string },
) {
  const creator = rule.createdByAccountId == null ? null : await findAccountWithPermission(tx, rule.createdByAccountId, "admin.data_privacy");
  const recipients = creator ? [creator] : await listAccountsWithPermission(tx, "admin.data_privacy");
  if (!recipients.length) return;
  await enqueueInRecipientLanguages(tx, recipients, {
    template: "rule-run-report",
    idempotencyKey: (r) => `rule:${rule.id}:run:${runId}:account:${r.accountId}`,
    compose: (locale) => {
      const props = {
        locale, timeZone: organisationTimeZone(ctx.settings), ruleId: rule.id, ruleName: rule.name,
        actionLabel: describeRuleAction(rule.object, rule.action, locale), ranAt: ctx.now, counts: outcome.counts,
        error: outcome.error ? translateMessage(outcome.error, locale) : null,
        ruleUrl: `${env().APP_URL.replace(/\/+$/, "")}/privacy/rules/${rule.id}`, organisationName: ctx.settings.organisationName,
      };
      return { element: createElement(RuleRunReportEmail, props), subject: ruleRunReportSubject({ ...props, failed: Boolean(outcome.error) }) };
    },
  });
}
