"use server";

import { runAction } from "@/lib/action";
import { liftPrevention, preventAnonymisation } from "@/lib/privacy/prevention/prevention";
import { createAnonymisationTask } from "@/lib/privacy/tasks/tasks";
import { idSchema } from "@/lib/validation";

const paths = (personId: unknown) => {
  const id = idSchema.safeParse(personId);
  return [...(id.success ? [`/people/${id.data}`] : []), "/privacy/review", "/settings"];
};

export async function preventAnonymisationAction(input: { personId: number; reason: string; expiresAt?: string }) {
  return runAction(preventAnonymisation, input, paths(input?.personId));
}

export async function liftPreventionAction(input: { personId: number }) {
  return runAction(liftPrevention, input, paths(input?.personId));
}

export async function anonymisePersonAction(input: { personId: number; reason?: string }) {
  const fields = typeof input === "object" && input !== null && !Array.isArray(input) ? input : {};
  return runAction(createAnonymisationTask, { ...fields, origin: "manual" }, [...paths(input?.personId), "/privacy"]);
}
