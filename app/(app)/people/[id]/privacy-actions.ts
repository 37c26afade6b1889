"use server";

import type { z } from "zod";
import { runAction } from "@/lib/action";
import { liftPrevention, preventAnonymisation } from "@/lib/privacy/prevention/prevention";
import type { liftPreventionInputSchema, preventionInputSchema } from "@/lib/privacy/prevention/schemas";
import type { createAnonymisationTaskSchema } from "@/lib/privacy/tasks/schemas";
import { createAnonymisationTask } from "@/lib/privacy/tasks/tasks";
import { idSchema } from "@/lib/validation";

const paths = (personId: unknown) => {
  const id = idSchema.safeParse(personId);
  return [...(id.success ? [`/people/${id.data}`] : []), "/privacy/review", "/settings"];
};

// The parameters are typed as the forms send them (the schemas' input); the operations parse them.
export async function preventAnonymisationAction(input: z.input<typeof preventionInputSchema>) {
  return runAction(preventAnonymisation, input, paths(input?.personId));
}

export async function liftPreventionAction(input: z.input<typeof liftPreventionInputSchema>) {
  return runAction(liftPrevention, input, paths(input?.personId));
}

export async function anonymisePersonAction(input: z.input<typeof createAnonymisationTaskSchema>) {
  const fields = typeof input === "object" && input !== null && !Array.isArray(input) ? input : {};
  return runAction(createAnonymisationTask, { ...fields, origin: "manual" }, [...paths(input?.personId), "/privacy"]);
}
