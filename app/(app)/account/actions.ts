"use server";

import { runAction } from "@/lib/action";
import { setAccountLanguage } from "@/lib/account/language";

export async function setAccountLanguageAction(input: { locale: string }) {
  // Every page speaks the new language: revalidate the whole layout.
  return runAction(setAccountLanguage, input, ["/"]);
}
