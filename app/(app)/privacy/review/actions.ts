"use server";

import { runAction, runRead } from "@/lib/action";
import { preventFromReviewOperation } from "@/lib/privacy/prevention-operations";
import { cancelAnonymisationTasks, createBulkAnonymisation, dryRunBulkAnonymisation } from "@/lib/privacy/tasks";
import { bulkSelectionSchema } from "@/lib/privacy/task-schemas";
import { DomainError } from "@/lib/errors";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";

export async function dryRunBulkAction(selection: unknown) {
  return runRead("R_CAN_ANONYMIZE_USERS", async ({ db }) => {
    const parsed = bulkSelectionSchema.safeParse(selection);
    if (!parsed.success) {
      const fields = fieldErrorsOf(parsed.error);
      throw new DomainError("invalid_input", describeFieldErrors(fields), fields);
    }
    return dryRunBulkAnonymisation(db, parsed.data);
  });
}

export async function createBulkAction(selection: unknown) {
  return runAction(createBulkAnonymisation, selection, ["/privacy/review", "/privacy"]);
}

export async function preventFromReviewAction(input: { personId: number; reason: string }) {
  return runAction(preventFromReviewOperation, input, ["/privacy/review", `/people/${Number(input?.personId)}`, "/settings"]);
}

export async function cancelBatchAction(batchId: string) {
  return runAction(cancelAnonymisationTasks, { batchId }, ["/privacy/review", "/privacy"]);
}
