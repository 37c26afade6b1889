"use server";

import { runAction } from "@/lib/action";
import { liftPreventionOperation, preventAnonymisationOperation } from "@/lib/privacy/prevention-operations";
import { createAnonymisationTask } from "@/lib/privacy/tasks";

const paths = (personId: unknown) => [`/people/${Number(personId)}`, "/privacy/review", "/settings"];

export async function preventAnonymisationAction(input: { personId: number; reason: string; expiresAt?: string }) {
  return runAction(preventAnonymisationOperation, input, paths(input?.personId));
}

export async function liftPreventionAction(input: { personId: number }) {
  return runAction(liftPreventionOperation, input, paths(input?.personId));
}

export async function anonymisePersonAction(input: { personId: number; reason?: string }) {
  return runAction(createAnonymisationTask, { ...input, origin: "manual" }, [...paths(input?.personId), "/privacy"]);
}
