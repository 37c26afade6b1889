"use server";

import { runAction } from "@/lib/action";
import { createAnonymisationTask } from "@/lib/privacy/tasks/tasks";
import { fulfilRequest, refuseRequest } from "@/lib/requests/fulfil/fulfil";
import { idSchema } from "@/lib/validation";

// The request page's answers (lib/requests/fulfil). The deletion from a request goes
// through the one deletion dialog, with the request's id in its input.

const pathsOf = (input: unknown) => {
  const id = idSchema.safeParse((input as { requestId?: unknown } | null)?.requestId);
  return id.success ? [`/requests/${id.data}`, "/requests", "/"] : [];
};

export async function fulfilRequestAction(input: unknown) {
  return runAction(fulfilRequest, input, pathsOf(input));
}

export async function refuseRequestAction(input: unknown) {
  return runAction(refuseRequest, input, pathsOf(input));
}

export async function anonymiseFromRequestAction(input: unknown) {
  const fields = typeof input === "object" && input !== null && !Array.isArray(input) ? input : {};
  return runAction(createAnonymisationTask, { ...fields, origin: "manual" }, [...pathsOf(input), "/privacy"]);
}
