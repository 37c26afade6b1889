"use server";

import { AuthError } from "next-auth";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { decodeForm } from "@/lib/form";

export type LoginState = { message?: string; email?: string };

// Sign-in checks the credentials itself (lib/auth); a form it cannot read is an empty one.
const signInFormSchema = z.object({ email: z.string().catch(""), password: z.string().catch(""), callbackUrl: z.string().catch("/") });

export async function signInAction(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const form = decodeForm(formData, signInFormSchema);
  const { email, password, callbackUrl } = signInFormSchema.parse(form.ok ? form.data : {});
  const t = await getTranslations("auth.errors");
  if (!email || !password) return { message: t("missing"), email };
  try {
    await signIn("credentials", { email, password, redirectTo: callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/" });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === "rate_limited") {
        return { email, message: t("rateLimited") };
      }
      // The same words whether the e-mail exists or not.
      return { email, message: t("wrong") };
    }
    throw error; // the redirect after a successful sign-in
  }
}
