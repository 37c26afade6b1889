import { eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { type PrivacySettings, type PrivacyTask, privacyTasks } from "@/db/schema";
import DeletionApprovalEmail, { deletionApprovalSubject } from "@/emails/deletion-approval";
import { recordActivity, recordAudit } from "@/lib/audit";
import { enqueueInRecipientLanguages } from "@/lib/email/recipient-language";
import { env } from "@/lib/env";
import { loadActor } from "@/lib/auth/actor";
import { DomainError } from "@/lib/errors";
import { hasPermission } from "@/lib/permissions";
import { defineOperation } from "@/lib/operation";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { getPrivacyTaskById, type PrivacyTaskView } from "@/lib/privacy/tasks/queries";
import { organisationTimeZone } from "@/lib/schedule/clock";
import { listAccountsWithPermission } from "@/lib/schedule/recipients";
import { idSchema } from "@/lib/validation";
import { checkDeletionRules } from "./check-deletion";
import { getDeletionSubject } from "./rules";

// Four-eyes deletions (SPEC §11, the setting privacy_settings.four_eyes_deletions). While
// it is on, a deletion that a person asks for is created `awaiting_approval` rather than
// `queued`: the worker claims only queued tasks, so nothing is deleted until a second
// admin.data_privacy holder approves it here. The requester cannot approve their own;
// either of them (any admin.data_privacy holder) can cancel it (cancelPrivacyTask).
//
// Deletions of retention rules (origin `rule`) are not held. The rule was saved by an
// admin.data_privacy holder, with its dry run, and that save is audited; its deletions run
// on the dates the schedule gives, and holding each of them for a person would let the
// retention period it enforces lapse while nobody is the "first pair of eyes" to refuse
// the approval to. The annual cycle only anonymises. Four-eyes covers the deletions a
// person requests: from the dialog (`manual`), the API (`api`) and any bulk request.

const PERSON_ORIGINS: readonly PrivacyTask["origin"][] = ["manual", "api", "bulk"];

/** Whether a deletion requested from `origin` waits for a second holder's approval. */
export function deletionAwaitsApproval(settings: Pick<PrivacySettings, "fourEyesDeletions">, origin: PrivacyTask["origin"]) {
  return settings.fourEyesDeletions && PERSON_ORIGINS.includes(origin);
}

const taskUrl = (id: number) => `${env().APP_URL.replace(/\/+$/, "")}/privacy/tasks/${id}`;

/**
 * E-mails every other active admin.data_privacy holder that the task waits for them, in
 * each one's language, through the outbox: one e-mail per task and recipient, however
 * often this runs. Call it before the transaction's audit entry (lib/audit.ts).
 */
export async function notifyApprovers(
  tx: DbOrTx,
  task: Pick<PrivacyTask, "id" | "subjectLabel" | "reference" | "requestedByAccountId" | "createdAt">,
  settings?: PrivacySettings,
) {
  const recipients = (await listAccountsWithPermission(tx, "admin.data_privacy")).filter((r) => r.accountId !== task.requestedByAccountId);
  if (!recipients.length) return 0;
  const organisation = settings ?? (await getPrivacySettings(tx));
  await enqueueInRecipientLanguages(tx, recipients, {
    template: "deletion-approval",
    idempotencyKey: (r) => `privacy-task:${task.id}:approval:account:${r.accountId}`,
    compose: (locale) => {
      const props = {
        locale, timeZone: organisationTimeZone(organisation), taskId: task.id, subjectLabel: task.subjectLabel,
        requestedAt: task.createdAt, reference: task.reference, taskUrl: taskUrl(task.id), organisationName: organisation.organisationName,
      };
      return { element: createElement(DeletionApprovalEmail, props), subject: deletionApprovalSubject(props) };
    },
  });
  return recipients.length;
}

export const approvePrivacyTaskSchema = z.object({ id: idSchema });

/**
 * A second admin.data_privacy holder sends a deletion awaiting approval to the queue.
 * The task's row is locked first, so of two approvals at once one finds it queued and is
 * refused. The rules of the request are checked again with what was requested then
 * (the organisation, the reasons to override obligations and a hold): an approval cannot
 * let through a deletion that could not be requested now.
 */
export const approvePrivacyTask = defineOperation({
  name: "approvePrivacyTask",
  permission: "admin.data_privacy",
  input: approvePrivacyTaskSchema,
  async run({ tx, actor, input }) {
    const [task] = await tx.select().from(privacyTasks).where(eq(privacyTasks.id, input.id)).for("update");
    if (!task) throw new DomainError("not_found", `Task #${input.id} does not exist.`);
    if (task.status !== "awaiting_approval") {
      throw new DomainError("conflict", `Task #${task.id} is ${task.status}; only a task awaiting approval can be approved.`,
        { status: [`is ${task.status}, not awaiting approval`] }, { status: task.status });
    }
    if (task.requestedByAccountId === actor.accountId) {
      throw new DomainError("rule_violation", "You requested this deletion; another admin.data_privacy holder must approve it.",
        { approver: ["must not be the account that requested the deletion"] });
    }
    // Two holders agree, or nobody does: a requester who has since lost admin.data_privacy
    // (the role taken away, the account deactivated or deleted) leaves one pair of eyes.
    const requester = task.requestedByAccountId == null ? null : await loadActor(tx, task.requestedByAccountId);
    if (!requester || !hasPermission(requester.permissions, "admin.data_privacy")) {
      throw new DomainError("rule_violation", "The account that requested this deletion no longer holds admin.data_privacy; cancel the task, and a holder may request it again.",
        { requestedBy: ["no longer holds admin.data_privacy"] });
    }
    const subject = task.subjectPersonId == null ? null : await getDeletionSubject(tx, task.subjectPersonId, { lock: true });
    if (!subject) throw new DomainError("conflict", `The person of task #${task.id} no longer exists; cancel the task.`);
    try {
      await checkDeletionRules(tx, subject, task.options, { actorPersonId: actor.personId });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The approver cannot add a reason the requester did not give: the task is cancelled
      // and, if it should still go ahead, requested again with one.
      throw new DomainError(error.code, `This deletion can no longer be approved: ${error.message} Cancel the task; it can be requested again.`,
        undefined, error.details);
    }
    await tx.update(privacyTasks).set({ status: "queued", approvedByAccountId: actor.accountId, approvedAt: sql`now()` })
      .where(eq(privacyTasks.id, task.id));
    // Read before the audit entry, which holds the log's lock to the commit (lib/audit.ts).
    const approved = (await getPrivacyTaskById(tx, { id: task.id })) as PrivacyTaskView;
    await recordActivity(tx, {
      actorAccountId: actor.accountId, verb: "approved", objectType: "privacy_task", objectId: task.id,
      summary: `Deletion task #${task.id} for ${task.subjectLabel} approved`, permission: "admin.data_privacy",
    });
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "privacy_task.approved", targetType: "privacy_task", targetId: task.id,
      details: { action: task.action, subjectPersonId: task.subjectPersonId, requestedByAccountId: task.requestedByAccountId },
    });
    return approved;
  },
});
