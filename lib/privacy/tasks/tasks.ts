import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { people, type PrivacyTask, privacyTasks } from "@/db/schema";
import { recordActivity, recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { selectBulkSubjects } from "./bulk-selection";
import { findOpenTask } from "@/lib/privacy/deletion/rules";
import { assertEligibleForManual } from "@/lib/privacy/eligibility/manual-guard";
import { maskedLabel } from "@/lib/privacy/masking";
import { subjectMasker } from "@/lib/privacy/prevention/prevention";
import { getPrivacySettings, requireAnonymisationEnabled } from "@/lib/privacy/settings/settings";
import { intArray, jsonb } from "@/db/sql";
import { linkTaskToRequest } from "@/lib/requests/fulfil/erasure";
import {
  cancelAnonymisationTasksSchema, cancelPrivacyTaskSchema, createAnonymisationTaskSchema, createBulkAnonymisationSchema,
  retryPrivacyTaskSchema,
} from "./schemas";

// Creating and cancelling privacy tasks. Operations (lib/operation.ts) are shared by
// server actions and API handlers; the worker (worker.ts) does the work later.
// A task row keeps no personal data of its subject: the person's id and a masked
// label taken now, before the work. `reason` is what the requester typed.

const OPEN_TASK = { target: [privacyTasks.subjectPersonId, privacyTasks.action], where: sql`status in ('queued', 'running')` };

export const createAnonymisationTask = defineOperation({
  name: "createAnonymisationTask",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: createAnonymisationTaskSchema,
  async run({ tx, actor, input }): Promise<PrivacyTask> {
    const settings = await getPrivacySettings(tx);
    requireAnonymisationEnabled(settings);
    const [person] = await tx.select({ id: people.id, firstName: people.firstName, lastName: people.lastName })
      .from(people).where(eq(people.id, input.personId)).for("update");
    if (!person) throw new DomainError("not_found", `Person ${input.personId} does not exist.`);
    await assertEligibleForManual(tx, { personId: person.id, settings, now: new Date() });
    const open = await findOpenTask(tx, person.id, "anonymise");
    if (open) throw new DomainError("conflict", `This person already has an open anonymisation task: #${open.id} (${open.status}).`, undefined, { taskId: open.id });
    // The task outlives what it erases: the reason and reference keep none of the subject's identifiers.
    const clean = await subjectMasker(tx, person);
    input = { ...input, reason: clean(input.reason), reference: clean(input.reference) };
    const [task] = await tx.insert(privacyTasks).values({
      action: "anonymise", origin: input.origin, subjectPersonId: person.id,
      subjectLabel: maskedLabel(person.firstName, person.lastName), reason: input.reason ?? null, reference: input.reference ?? null,
      requestedByAccountId: actor.accountId, progressTotal: 1,
    }).onConflictDoNothing(OPEN_TASK).returning();
    if (!task) throw new DomainError("conflict", "This person already has an open anonymisation task.");
    if (input.requestId) await linkTaskToRequest(tx, { task, requestId: input.requestId, actor });
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "privacy_task.created", targetType: "privacy_task", targetId: task.id,
      details: { action: "anonymise", subjectPersonId: person.id, origin: input.origin, reference: input.reference },
    });
    await recordActivity(tx, {
      actorAccountId: actor.accountId, verb: "created", objectType: "privacy_task", objectId: task.id,
      summary: `Anonymisation task #${task.id} created for ${task.subjectLabel}`, permission: "R_CAN_ANONYMIZE_USERS",
    });
    return task;
  },
});

/** Queues one task per still-eligible selected person, in one statement, under one batch id. */
export const createBulkAnonymisation = defineOperation({
  name: "createBulkAnonymisation",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: createBulkAnonymisationSchema,
  async run({ tx, actor, input }) {
    const settings = await getPrivacySettings(tx);
    requireAnonymisationEnabled(settings);
    const { selected, eligibleIds } = await selectBulkSubjects(tx, input, settings, new Date());
    const batchId = randomUUID();
    // Labels are computed by the one masking function; the insert stays one statement.
    const names = await tx.select({ id: people.id, firstName: people.firstName, lastName: people.lastName })
      .from(people).where(sql`${people.id} = any(${intArray(eligibleIds)})`);
    const labelled = names.map((p) => ({ id: p.id, label: maskedLabel(p.firstName, p.lastName) }));
    const inserted = rows<{ id: number }>(await tx.execute(sql`
      insert into privacy_tasks (action, origin, subject_person_id, subject_label, batch_id, reference, requested_by_account_id, progress_total)
      select 'anonymise', 'bulk', v.id, v.label, ${batchId}, ${input.reference ?? null}, ${actor.accountId}, 1
      from jsonb_to_recordset(${jsonb(labelled)}) as v(id int, label text)
      order by v.id
      on conflict (subject_person_id, action) where status in ('queued', 'running') do nothing
      returning id`));
    const queued = inserted.length;
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "privacy_task.bulk_created", targetType: "privacy_task_batch",
      details: { batchId, selected, queued, skipped: selected - queued, reference: input.reference },
    });
    if (queued) {
      await recordActivity(tx, {
        actorAccountId: actor.accountId, verb: "created", objectType: "privacy_task_batch",
        summary: `Bulk anonymisation: ${queued} ${queued === 1 ? "task" : "tasks"} queued`, permission: "R_CAN_ANONYMIZE_USERS",
      });
    }
    return { batchId, queued, skipped: selected - queued };
  },
});

/**
 * One statement for one task or a whole batch: only rows still queued (or, with
 * `awaitingToo`, awaiting approval) are cancelled, the rest are left to the caller. Each
 * records who cancelled it (finished_at says when).
 */
async function cancelQueued(tx: DbOrTx, where: ReturnType<typeof sql>, accountId: number, awaitingToo = false) {
  const open = awaitingToo ? sql`status in ('queued', 'awaiting_approval')` : sql`status = 'queued'`;
  return rows<{ id: number; action: "anonymise" | "delete"; subject_label: string; was: string }>(await tx.execute(sql`
    update privacy_tasks t set status = 'cancelled', finished_at = now(), lease_until = null, cancelled_by_account_id = ${accountId}
    from (select id, status::text as was from privacy_tasks where ${open} and ${where} for update) prior
    where t.id = prior.id returning t.id, t.action::text as action, t.subject_label, prior.was`));
}

async function refuseUncancellable(tx: DbOrTx, id: number, action?: "anonymise"): Promise<never> {
  const task = await tx.query.privacyTasks.findFirst({ columns: { status: true, action: true }, where: eq(privacyTasks.id, id) });
  if (!task || (action && task.action !== action)) throw new DomainError("not_found", `Task #${id} does not exist.`);
  throw new DomainError("conflict", action
    ? `Task #${id} is ${task.status}; only a queued task can be cancelled.`
    : `Task #${id} is ${task.status}; only a queued task or one awaiting approval can be cancelled.`);
}

/**
 * Any task, by a data-privacy holder, until the worker takes it. A deletion awaiting a
 * second approval (four-eyes deletions) can be cancelled by its requester and by any
 * holder who could approve it: both hold admin.data_privacy.
 */
export const cancelPrivacyTask = defineOperation({
  name: "cancelPrivacyTask",
  permission: "admin.data_privacy",
  input: cancelPrivacyTaskSchema,
  async run({ tx, actor, input }) {
    const [task] = await cancelQueued(tx, sql`id = ${input.id}`, actor.accountId, true);
    if (!task) return refuseUncancellable(tx, input.id);
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "privacy_task.cancelled", targetType: "privacy_task", targetId: task.id,
      ...(task.was === "awaiting_approval" ? { details: { awaitingApproval: true } } : {}),
    });
    if (task.action === "delete") {
      await recordActivity(tx, {
        actorAccountId: actor.accountId, verb: "cancelled", objectType: "privacy_task", objectId: task.id,
        summary: `Deletion task #${task.id} for ${task.subject_label} cancelled`, permission: "admin.data_privacy",
      });
    }
    return { id: task.id, status: "cancelled" as const };
  },
});

/** Anonymisation tasks (one, or the queued rest of a bulk run) by those who queue them. */
export const cancelAnonymisationTasks = defineOperation({
  name: "cancelAnonymisationTasks",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: cancelAnonymisationTasksSchema,
  async run({ tx, actor, input }) {
    const where = "id" in input ? sql`id = ${input.id}` : sql`batch_id = ${input.batchId}`;
    const cancelled = await cancelQueued(tx, sql`action = 'anonymise' and ${where}`, actor.accountId);
    if ("id" in input && !cancelled.length) return refuseUncancellable(tx, input.id, "anonymise");
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "privacy_task.cancelled", targetType: "id" in input ? "privacy_task" : "privacy_task_batch",
      targetId: "id" in input ? input.id : null, details: { cancelled: cancelled.length, ...("batchId" in input ? { batchId: input.batchId } : {}) },
    });
    return { cancelled: cancelled.length };
  },
});

/**
 * A failed task back in the queue, by a data-privacy holder from the monitor. The
 * worker takes it like any queued task: a deletion continues where it stopped (tickets
 * already deleted stay deleted), and rules are judged again as the worker judges them.
 * `attempts` keeps growing (it fences old claims); the limit on dead claims counts from
 * the retry. The previous error stays in the audit log.
 */
export const retryPrivacyTask = defineOperation({
  name: "retryPrivacyTask",
  permission: "admin.data_privacy",
  input: retryPrivacyTaskSchema,
  async run({ tx, actor, input }) {
    const [task] = await tx.select({
      id: privacyTasks.id, status: privacyTasks.status, action: privacyTasks.action, subjectPersonId: privacyTasks.subjectPersonId,
      subjectLabel: privacyTasks.subjectLabel, error: privacyTasks.error, attempts: privacyTasks.attempts,
    }).from(privacyTasks).where(eq(privacyTasks.id, input.id)).for("update");
    if (!task) throw new DomainError("not_found", `Task #${input.id} does not exist.`);
    if (task.status !== "failed") throw new DomainError("conflict", `Task #${task.id} is ${task.status}; only a failed task can be retried.`);
    if (task.subjectPersonId != null) {
      const open = await findOpenTask(tx, task.subjectPersonId, task.action);
      if (open) throw new DomainError("conflict", `This person already has an open ${task.action === "delete" ? "deletion" : "anonymisation"} task: #${open.id} (${open.status}).`, undefined, { taskId: open.id });
    }
    const [{ retries }] = await tx.update(privacyTasks).set({
      status: "queued", error: null, finishedAt: null, leaseUntil: null, workerId: null, verification: null,
      retries: sql`${privacyTasks.retries} + 1`, attemptsBeforeRetry: sql`${privacyTasks.attempts}`,
    }).where(eq(privacyTasks.id, task.id)).returning({ retries: privacyTasks.retries });
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "privacy_task.retried", targetType: "privacy_task", targetId: task.id,
      details: { action: task.action, subjectPersonId: task.subjectPersonId, previousError: task.error, attempts: task.attempts, retries },
    });
    if (task.action === "delete") {
      await recordActivity(tx, {
        actorAccountId: actor.accountId, verb: "retried", objectType: "privacy_task", objectId: task.id,
        summary: `Deletion task #${task.id} for ${task.subjectLabel} queued again`, permission: "admin.data_privacy",
      });
    }
    return { id: task.id, status: "queued" as const, retries };
  },
});
