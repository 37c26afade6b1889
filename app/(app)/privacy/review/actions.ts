"use server";

import type { z } from "zod";
import { runAction } from "@/lib/action";
import { preventFromReview } from "@/lib/privacy/prevention/prevention";
import type { preventionInputSchema } from "@/lib/privacy/prevention/schemas";
import { dryRunBulkAnonymisation } from "@/lib/privacy/tasks/bulk-selection";
import { cancelAnonymisationTasks, createBulkAnonymisation } from "@/lib/privacy/tasks/tasks";
import { MAX_ID } from "@/lib/validation";

/** A path segment for revalidation only from an id that the operation itself will accept. */
const personPath = (personId: unknown) => {
  const id = Number(personId);
  return Number.isInteger(id) && id > 0 && id <= MAX_ID ? [`/people/${id}`] : [];
};

export async function dryRunBulkAction(selection: unknown) {
  return runAction(dryRunBulkAnonymisation, selection);
}

export async function createBulkAction(selection: unknown) {
  return runAction(createBulkAnonymisation, selection, ["/privacy/review", "/privacy"]);
}

export async function preventFromReviewAction(input: z.input<typeof preventionInputSchema>) {
  return runAction(preventFromReview, input, ["/privacy/review", ...personPath(input?.personId), "/settings"]);
}

export async function cancelBatchAction(batchId: string) {
  return runAction(cancelAnonymisationTasks, { batchId }, ["/privacy/review", "/privacy"]);
}
