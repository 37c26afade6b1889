"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { decodeForm } from "@/lib/form";

export type LoginState = { message?: string; email?: string };

// Sign-in checks the credentials itself (lib/auth); a form it cannot read is an empty one.
const signInFormSchema = z.object({ email: z.string().catch(""), password: z.string().catch(""), callbackUrl: z.string().catch("/") });

export async function signInAction(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const form = decodeForm(formData, signInFormSchema);
  const { email, password, callbackUrl } = signInFormSchema.parse(form.ok ? form.data : {});
  if (!email || !password) return { message: "Enter your e-mail address and password.", email };
  try {
    await signIn("credentials", { email, password, redirectTo: callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/" });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === "rate_limited") {
        return { email, message: "Too many failed attempts. Wait a few minutes, or sign in from a browser you have used here before." };
      }
      // The same words whether the e-mail exists or not.
      return { email, message: "The e-mail address or the password is not correct." };
    }
    throw error; // the redirect after a successful sign-in
  }
}
