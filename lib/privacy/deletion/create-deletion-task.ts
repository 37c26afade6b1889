import { count, eq, sql } from "drizzle-orm";
import { type PrivacyTask, privacyTasks, tickets } from "@/db/schema";
import { recordActivity, recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { checkDeletionRules } from "./check-deletion";
import { deletionAwaitsApproval, notifyApprovers } from "./four-eyes";
import { findOpenTask, getDeletionSubject } from "./rules";
import { maskedLabel } from "@/lib/privacy/masking";
import { subjectMasker } from "@/lib/privacy/prevention/prevention";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { createDeletionTaskSchema } from "@/lib/privacy/tasks/schemas";
import { linkTaskToRequest } from "@/lib/requests/fulfil/erasure";

// Queues the deletion of a person and their tickets (SPEC §5). Every rule is checked
// here, inside the transaction, with the person's row locked; the worker checks the
// ones that can change again when it runs.

export const createDeletionTask = defineOperation({
  name: "createDeletionTask",
  permission: "admin.data_privacy",
  input: createDeletionTaskSchema,
  async run({ tx, actor, input }): Promise<PrivacyTask> {
    const subject = await getDeletionSubject(tx, input.personId, { lock: true });
    if (!subject) throw new DomainError("not_found", `Person ${input.personId} does not exist.`);
    const open = await findOpenTask(tx, subject.id, "delete");
    if (open) {
      throw new DomainError("conflict", `This person already has an open deletion task: #${open.id} (${open.status}).`, undefined, { taskId: open.id });
    }
    const { obligations, hold } = await checkDeletionRules(tx, subject, input, { actorPersonId: actor.personId });
    const [{ n: ticketCount }] = await tx.select({ n: count() }).from(tickets).where(eq(tickets.customerId, subject.id));
    // The task is the receipt that outlives the person: what staff typed keeps none of
    // the subject's own identifiers.
    const clean = await subjectMasker(tx, subject);
    input = { ...input, reference: clean(input.reference), overrideReason: clean(input.overrideReason), holdOverrideReason: clean(input.holdOverrideReason) };
    const options = {
      deleteOrganisation: input.deleteOrganisation || undefined,
      overrideReason: obligations.length ? input.overrideReason : undefined,
      holdOverrideReason: hold ? input.holdOverrideReason : undefined,
    };
    // Four-eyes deletions: the task waits for a second admin.data_privacy holder (four-eyes.ts).
    const settings = await getPrivacySettings(tx);
    const awaitsApproval = deletionAwaitsApproval(settings, input.origin);
    const [task] = await tx.insert(privacyTasks).values({
      action: "delete",
      status: awaitsApproval ? "awaiting_approval" : "queued",
      origin: input.origin,
      subjectPersonId: subject.id,
      subjectLabel: maskedLabel(subject.firstName, subject.lastName),
      reference: input.reference ?? null,
      options: JSON.parse(JSON.stringify(options)),
      requestedByAccountId: actor.accountId,
      progressTotal: Number(ticketCount) + 1,
    }).onConflictDoNothing({
      target: [privacyTasks.subjectPersonId, privacyTasks.action],
      where: sql`status in ('queued', 'running')`,
    }).returning();
    if (!task) {
      // A concurrent request won the race for the one open task per person.
      const winner = await findOpenTask(tx, subject.id, "delete");
      throw new DomainError("conflict", `This person already has an open deletion task${winner ? `: #${winner.id}` : ""}.`, undefined, { taskId: winner?.id });
    }
    if (input.requestId) await linkTaskToRequest(tx, { task, requestId: input.requestId, actor });
    if (awaitsApproval) await notifyApprovers(tx, task, settings);
    await recordAudit(tx, {
      actorAccountId: actor.accountId,
      action: "privacy_task.created",
      targetType: "privacy_task",
      targetId: task.id,
      // Audit entries name the origin `via` ("ui" or "api"), as they always have.
      details: {
        action: "delete", subjectPersonId: subject.id, via: input.origin === "api" ? "api" : "ui", ...options,
        awaitingApproval: awaitsApproval || undefined,
        // The override of a hold has its own entry below.
        holdOverrideReason: undefined, reference: input.reference,
        overriddenObligations: obligations.length ? obligations.map((o) => ({ kind: o.kind, id: o.id })) : undefined,
      },
    });
    if (hold) {
      await recordAudit(tx, {
        actorAccountId: actor.accountId, action: "privacy_task.hold_overridden", targetType: "privacy_task", targetId: task.id,
        // The log outlives the person: their own names are masked in the reason it keeps.
        details: {
          subjectPersonId: subject.id, holdSince: hold.sinceOn,
          reason: input.holdOverrideReason ?? "",
        },
      });
    }
    await recordActivity(tx, {
      actorAccountId: actor.accountId,
      verb: "created",
      objectType: "privacy_task",
      objectId: task.id,
      summary: `Deletion task #${task.id} created for ${task.subjectLabel}`,
      permission: "admin.data_privacy",
    });
    return task;
  },
});
