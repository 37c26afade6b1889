"use server";

import { runAction } from "@/lib/action";
import { createRetentionObligation, deleteRetentionObligation, updateRetentionObligation } from "@/lib/obligations/obligations";

export async function createRetentionObligationAction(input: unknown) {
  return runAction(createRetentionObligation, input, ["/settings/obligations"]);
}
export async function updateRetentionObligationAction(input: unknown) {
  return runAction(updateRetentionObligation, input, ["/settings/obligations"]);
}
export async function deleteRetentionObligationAction(input: unknown) {
  return runAction(deleteRetentionObligation, input, ["/settings/obligations"]);
}
