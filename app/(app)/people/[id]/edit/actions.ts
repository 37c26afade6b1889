"use server";

import { runAction } from "@/lib/action";
import { rectifyPerson } from "@/lib/people/rectify";

export async function rectifyPersonAction(input: unknown) {
  const personId = Number((input as { personId?: unknown })?.personId);
  return runAction(rectifyPerson, input, Number.isInteger(personId) ? [`/people/${personId}`] : []);
}
