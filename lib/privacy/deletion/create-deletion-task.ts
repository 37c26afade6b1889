import { count, eq, sql } from "drizzle-orm";
import { type PrivacyTask, privacyTasks, tickets } from "@/db/schema";
import { recordActivity, recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import {
  describeObligation, findBlockingObligations, findDeletionRefusals, findOpenTask, getDeletionSubject,
  getOrganisationMembership,
} from "./rules";
import { maskedLabel } from "@/lib/privacy/masking";
import { findHold } from "@/lib/privacy/prevention/holds";
import { subjectMasker } from "@/lib/privacy/prevention/prevention";
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
    const refusals = await findDeletionRefusals(tx, subject, { actorPersonId: actor.personId });
    if (refusals.length) {
      throw new DomainError("rule_violation", refusals.map((r) => r.message).join(" "), undefined, { refusals });
    }
    const open = await findOpenTask(tx, subject.id, "delete");
    if (open) {
      throw new DomainError("conflict", `This person already has an open deletion task: #${open.id} (${open.status}).`, undefined, { taskId: open.id });
    }
    if (input.deleteOrganisation) {
      const organisation = await getOrganisationMembership(tx, subject);
      if (!organisation?.lastMember) {
        throw new DomainError(
          "rule_violation",
          organisation
            ? `The organisation can only be deleted with its last member; ${organisation.name} has other members.`
            : "This person belongs to no organisation.",
          { deleteOrganisation: ["Only possible when the person is the last member of their organisation"] },
        );
      }
    }
    const obligations = await findBlockingObligations(tx, subject.id);
    if (obligations.length && !input.overrideReason) {
      throw new DomainError(
        "rule_violation",
        `Blocking obligations: ${obligations.map(describeObligation).join("; ")}. Give a reason to override them.`,
        { overrideReason: ["Give a reason to override the blocking obligations"] },
        { obligations },
      );
    }
    // A hold blocks the deletion; this task may go ahead only with a reason to override
    // it, given by the admin.data_privacy holder that this operation already requires.
    const hold = await findHold(tx, subject.id, new Date());
    if (hold && !input.holdOverrideReason) {
      throw new DomainError(
        "rule_violation",
        `This person is on hold since ${hold.sinceOn}: ${hold.reason}. Give a reason to override the hold for this task.`,
        { holdOverrideReason: ["is required while the person is on hold"] },
        { hold },
      );
    }
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
    const [task] = await tx.insert(privacyTasks).values({
      action: "delete",
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
    await recordAudit(tx, {
      actorAccountId: actor.accountId,
      action: "privacy_task.created",
      targetType: "privacy_task",
      targetId: task.id,
      // Audit entries name the origin `via` ("ui" or "api"), as they always have.
      details: {
        action: "delete", subjectPersonId: subject.id, via: input.origin === "api" ? "api" : "ui", ...options,
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
