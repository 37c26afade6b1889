import type { DbOrTx } from "@/db/client";
import { DomainError } from "@/lib/errors";
import {
  type BlockingObligation, type DeletionSubject, describeObligation, findBlockingObligations, findDeletionRefusals,
  getOrganisationMembership,
} from "./rules";
import { findHold, type Hold } from "@/lib/privacy/prevention/holds";

// The rules a deletion must pass, inside the transaction that holds the person's row:
// when it is requested (create-deletion-task.ts) and again, with what was requested then,
// when a second admin.data_privacy holder approves it (four-eyes.ts). One function for
// both, so that an approval can never let through what a request would be refused.

export type DeletionChoices = {
  deleteOrganisation?: boolean;
  /** Why the deletion goes ahead despite blocking obligations. */
  overrideReason?: string;
  /** Why the deletion goes ahead although the person is on hold. */
  holdOverrideReason?: string;
};

/**
 * Throws the first refusal (a rule without override, the organisation that cannot go
 * with the person, an obligation or a hold without a reason); otherwise returns the
 * obligations and the hold that the reasons given override.
 */
export async function checkDeletionRules(
  tx: DbOrTx,
  subject: DeletionSubject,
  choices: DeletionChoices,
  context: { actorPersonId: number | null; now?: Date },
): Promise<{ obligations: BlockingObligation[]; hold: Hold | null }> {
  const refusals = await findDeletionRefusals(tx, subject, { actorPersonId: context.actorPersonId });
  if (refusals.length) {
    throw new DomainError("rule_violation", refusals.map((r) => r.message).join(" "), undefined, { refusals });
  }
  if (choices.deleteOrganisation) {
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
  if (obligations.length && !choices.overrideReason) {
    throw new DomainError(
      "rule_violation",
      `Blocking obligations: ${obligations.map(describeObligation).join("; ")}. Give a reason to override them.`,
      { overrideReason: ["Give a reason to override the blocking obligations"] },
      { obligations },
    );
  }
  // A hold blocks the deletion; the task may go ahead only with a reason to override it,
  // given by an admin.data_privacy holder (the permission of both callers).
  const hold = await findHold(tx, subject.id, context.now ?? new Date());
  if (hold && !choices.holdOverrideReason) {
    throw new DomainError(
      "rule_violation",
      `This person is on hold since ${hold.sinceOn}: ${hold.reason}. Give a reason to override the hold for this task.`,
      { holdOverrideReason: ["is required while the person is on hold"] },
      { hold },
    );
  }
  return { obligations, hold };
}
