"use server";

import { runAction } from "@/lib/action";
import { setAccountLanguage } from "@/lib/account/language";
import { changeAccountEmail, changeAccountName, changeAccountPassword } from "@/lib/account/profile";
import { auth } from "@/lib/auth";
import type { SessionWithSid } from "@/lib/auth/config";
import { sha256 } from "@/lib/auth/tokens";

export async function setAccountLanguageAction(input: { locale: string }) {
  // Every page speaks the new language: revalidate the whole layout.
  return runAction(setAccountLanguage, input, ["/"]);
}

export async function changeAccountNameAction(input: unknown) {
  return runAction(changeAccountName, input, ["/account"]);
}

/** The session this browser is signed in with stays; the account's other sessions end. */
async function withThisSession(input: unknown) {
  const session = (await auth()) as (SessionWithSid & object) | null;
  const body = input && typeof input === "object" && !Array.isArray(input) ? input : {};
  return { ...body, keepSessionHash: session?.sid ? sha256(session.sid) : null };
}

export async function changeAccountEmailAction(input: unknown) {
  return runAction(changeAccountEmail, await withThisSession(input), ["/account"]);
}

export async function changeAccountPasswordAction(input: unknown) {
  return runAction(changeAccountPassword, await withThisSession(input), ["/account"]);
}
