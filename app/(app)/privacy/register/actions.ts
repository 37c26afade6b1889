"use server";

import { runAction } from "@/lib/action";
import { updateRegisterEntry } from "@/lib/register/register";

export async function updateRegisterEntryAction(input: unknown) {
  return runAction(updateRegisterEntry, input, ["/privacy/register"]);
}
