"use server";

import { runAction } from "@/lib/action";
import { rectifyPerson } from "@/lib/people/rectify";
import { idSchema } from "@/lib/validation";

export async function rectifyPersonAction(input: unknown) {
  const personId = idSchema.safeParse((input as { personId?: unknown } | null)?.personId);
  return runAction(rectifyPerson, input, personId.success ? [`/people/${personId.data}`] : []);
}
