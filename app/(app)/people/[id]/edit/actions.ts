"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { currentAccountId } from "@/lib/auth/session";
import { runOperation } from "@/lib/operation";
import { rectifyPerson } from "@/lib/people/rectify";

export async function rectifyPersonAction(input: unknown) {
  const result = await runOperation(rectifyPerson, { db: getDb(), accountId: await currentAccountId(), input });
  if (result.ok) revalidatePath(`/people/${result.data.personId}`);
  return result;
}
