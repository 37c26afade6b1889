import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { annualCycleSteps, people, type PrivacySettings } from "@/db/schema";
import AnnualNoticeEmail, { annualNoticeSubject, MAX_LISTED_PEOPLE } from "@/emails/annual-notice";
import CycleRunReportEmail, { cycleRunReportSubject } from "@/emails/cycle-run-report";
import { recordActivity, recordAudit } from "@/lib/audit";
import { enqueueInRecipientLanguages, type Recipient } from "@/lib/email/recipient-language";
import { env } from "@/lib/env";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { eligibilitySql } from "@/lib/privacy/eligibility/rules";
import { maskedLabel } from "@/lib/privacy/masking";
import { intArray, jsonb, ts } from "@/db/sql";
import { type LocalDate, organisationTimeZone, startOfLocalDay } from "./clock";
import type { CyclePlan, CycleStep } from "./cycle-plan";
import { listAccountsWithPermission } from "./recipients";
import { notQueuedForAnonymisationSql } from "./rule-conditions";

// The work of each annual-cycle step, in ONE transaction with its claim: the
// annual_cycle_steps row is inserted first (ON CONFLICT DO NOTHING RETURNING); only the
// caller that inserted it does the work, and if the work fails the claim is rolled back
// with it and the step is retried at the next call.
//
// Who is listed: the notice and the reminders list the people eligible at the start of
// the (possibly postponed) run day, with today's data — "the profiles that will be
// eligible on the run date" — and the run queues exactly the people eligible at that
// same instant, so a run on time anonymises what the last reminder announced, minus
// anyone prevented (or otherwise no longer eligible) since. The worker checks each
// person's eligibility once more just before anonymising.


export type StepOutcome = {
  cycleYear: number;
  step: CycleStep;
  claimed: boolean;
  held?: string;
  skipped?: string;
  listedCount?: number;
  recipients?: number;
  queued?: number;
  batchId?: string;
};

type StepContext = { settings: PrivacySettings; plan: CyclePlan; step: CycleStep; now: Date; today: LocalDate };

const REMINDERS: CycleStep[] = ["first_reminder", "second_reminder"];
export const CYCLE_DISABLED_MESSAGE = "Anonymisation is disabled in the settings: the annual cycle waits until it is enabled.";

export async function doCycleStep(db: Db, ctx: StepContext): Promise<StepOutcome> {
  const base = { cycleYear: ctx.plan.cycleYear, step: ctx.step };
  // Notices announce a run; while anonymisation is off there is no run to announce.
  if (!ctx.settings.anonymisationEnabled) return { ...base, claimed: false, held: CYCLE_DISABLED_MESSAGE };
  return db.transaction(async (tx): Promise<StepOutcome> => {
    const recipients = await listAccountsWithPermission(tx, "R_CAN_ANONYMIZE_USERS");
    if (ctx.step === "notice" && recipients.length === 0) {
      return { ...base, claimed: false, held: "No active account holds R_CAN_ANONYMIZE_USERS: the notice waits until one does." };
    }
    const skip = REMINDERS.includes(ctx.step) && ctx.today >= ctx.plan.runDate
      ? "Not sent: the run was due before this reminder could go out."
      : null;
    const claimed = await claimStep(tx, ctx.plan.cycleYear, ctx.step, ctx.now, skip ? { skipped: true, reason: skip } : {});
    if (!claimed) return { ...base, claimed: false };
    if (skip) return { ...base, claimed: true, skipped: skip };
    return ctx.step === "run" ? run(tx, ctx, recipients) : notify(tx, ctx, recipients);
  });
}

async function claimStep(tx: DbOrTx, cycleYear: number, step: CycleStep, now: Date, details: Record<string, unknown>) {
  const inserted = await tx.insert(annualCycleSteps).values({ cycleYear, step, doneAt: now, details })
    .onConflictDoNothing({ target: [annualCycleSteps.cycleYear, annualCycleSteps.step] })
    .returning({ id: annualCycleSteps.id });
  return inserted.length > 0;
}

async function updateStep(tx: DbOrTx, cycleYear: number, step: CycleStep, listedCount: number, details: Record<string, unknown>) {
  await tx.execute(sql`
    update annual_cycle_steps set listed_count = ${listedCount}, details = ${jsonb(details)}
    where cycle_year = ${cycleYear} and step = ${step}`);
}

/** People eligible at the first instant of the run day (see the header). */
async function eligibleOnRunDay(tx: DbOrTx, ctx: StepContext) {
  const at = startOfLocalDay(ctx.plan.runDate, organisationTimeZone(ctx.settings));
  return [...new Set(await listEligiblePersonIds(tx, { settings: ctx.settings, now: at }))].sort((a, b) => a - b);
}

function urls() {
  const base = env().APP_URL.replace(/\/+$/, "");
  return { review: `${base}/privacy/review`, people: `${base}/people`, tasks: `${base}/privacy` };
}

async function notify(tx: DbOrTx, ctx: StepContext, recipients: Recipient[]): Promise<StepOutcome> {
  const { plan, step } = ctx;
  const ids = await eligibleOnRunDay(tx, ctx);
  const listed = await tx.select({ id: people.id, firstName: people.firstName, lastName: people.lastName }).from(people)
    .where(sql`${people.id} = any(${intArray(ids)})`)
    .orderBy(sql`lower(${people.lastName})`, sql`lower(${people.firstName})`, asc(people.id)).limit(MAX_LISTED_PEOPLE);
  const noticeStep = step as "notice" | "first_reminder" | "second_reminder";
  const timeZone = organisationTimeZone(ctx.settings);
  await enqueueInRecipientLanguages(tx, recipients, {
    template: "annual-notice",
    idempotencyKey: (r) => `cycle:${plan.cycleYear}:${step}:account:${r.accountId}`,
    compose: (locale) => {
      const props = {
        locale, timeZone, step: noticeStep, cycleYear: plan.cycleYear, runDate: plan.runDate,
        postponedFrom: plan.postponed ? plan.scheduled.run : null, listedCount: ids.length,
        people: listed.map((p) => ({ id: p.id, name: `${p.firstName} ${p.lastName}`.trim() || `#${p.id}` })),
        reviewUrl: urls().review, peopleUrl: urls().people, organisationName: ctx.settings.organisationName,
      };
      return { element: createElement(AnnualNoticeEmail, props), subject: annualNoticeSubject(props) };
    },
  });
  // Person ids (not names) are kept so that the run can report who left the list.
  await updateStep(tx, plan.cycleYear, step, ids.length, {
    runDate: plan.runDate, scheduledRunDate: plan.scheduled.run, postponed: plan.postponed,
    recipients: recipients.length, listedIds: ids,
  });
  await recordAudit(tx, {
    actorAccountId: null, action: `annual_cycle.${step}`, targetType: "annual_cycle", targetId: plan.cycleYear,
    details: { listedCount: ids.length, recipients: recipients.length, runDate: plan.runDate, postponed: plan.postponed },
  });
  return { cycleYear: plan.cycleYear, step, claimed: true, listedCount: ids.length, recipients: recipients.length };
}

async function run(tx: DbOrTx, ctx: StepContext, recipients: Recipient[]): Promise<StepOutcome> {
  const { plan, now } = ctx;
  // Labels are taken now, before the work, by the one masking function; the insert is
  // one statement. People with an open anonymisation task are left to that task.
  const at = startOfLocalDay(plan.runDate, organisationTimeZone(ctx.settings));
  const eligiblePeople = rows<{ id: number; first_name: string; last_name: string; free: boolean }>(await tx.execute(sql`
    select p.id, p.first_name, p.last_name, ${notQueuedForAnonymisationSql()} as free
    from people p where ${eligibilitySql({ settings: ctx.settings, now: at })} order by p.id`));
  const ids = eligiblePeople.map((p) => Number(p.id));
  const labelled = eligiblePeople.filter((p) => p.free).map((p) => ({ id: Number(p.id), label: maskedLabel(p.first_name, p.last_name) }));
  const batchId = randomUUID();
  const inserted = rows<{ id: number }>(await tx.execute(sql`
    insert into privacy_tasks (action, origin, subject_person_id, subject_label, batch_id, reason, reference, progress_total, created_at)
    select 'anonymise', 'annual_cycle', v.id, v.label, ${batchId}, ${`Annual retention cycle ${plan.cycleYear}`},
      ${`Annual cycle ${plan.cycleYear}`}, 1, ${ts(now)}
    from jsonb_to_recordset(${jsonb(labelled)}) as v(id int, label text)
    order by v.id
    on conflict (subject_person_id, action) where status in ('queued', 'running') do nothing
    returning id`));
  const queued = inserted.length;
  const notice = await tx.query.annualCycleSteps.findFirst({
    columns: { details: true }, where: and(eq(annualCycleSteps.cycleYear, plan.cycleYear), eq(annualCycleSteps.step, "notice")),
  });
  const eligible = new Set(ids);
  // The notice step keeps the ids it listed (notify, above).
  const noticeIds = (notice?.details.listedIds ?? []) as number[];
  const counts = {
    eligible: ids.length, queued, alreadyQueued: ids.length - queued,
    noticeListed: noticeIds.length, noLongerEligible: noticeIds.filter((id) => !eligible.has(id)).length,
  };
  // Reminders that never became due before the run are closed as not needed.
  for (const step of REMINDERS) await claimStep(tx, plan.cycleYear, step, now, { skipped: true, reason: "Not needed: the run came first." });
  await updateStep(tx, plan.cycleYear, "run", ids.length, {
    ...counts, batchId, runDate: plan.runDate, scheduledRunDate: plan.scheduled.run, postponed: plan.postponed, recipients: recipients.length,
  });

  await enqueueInRecipientLanguages(tx, recipients, {
    template: "cycle-run-report",
    idempotencyKey: (r) => `cycle:${plan.cycleYear}:run:account:${r.accountId}`,
    compose: (locale) => {
      const props = {
        locale, timeZone: organisationTimeZone(ctx.settings), cycleYear: plan.cycleYear, runDate: plan.runDate, ...counts,
        tasksUrl: urls().tasks, organisationName: ctx.settings.organisationName,
      };
      return { element: createElement(CycleRunReportEmail, props), subject: cycleRunReportSubject(props) };
    },
  });
  await recordAudit(tx, {
    actorAccountId: null, action: "annual_cycle.run", targetType: "annual_cycle", targetId: plan.cycleYear,
    details: { ...counts, batchId, runDate: plan.runDate },
  });
  await recordActivity(tx, {
    actorAccountId: null, verb: "ran", objectType: "annual_cycle", objectId: plan.cycleYear,
    summary: `Annual anonymisation ${plan.cycleYear}: ${queued} ${queued === 1 ? "task" : "tasks"} queued`,
    permission: "R_CAN_ANONYMIZE_USERS",
  });
  return { cycleYear: plan.cycleYear, step: "run", claimed: true, listedCount: ids.length, queued, batchId, recipients: recipients.length };
}
