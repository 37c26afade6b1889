"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui";
import { type LoginState, signInAction } from "./actions";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState<LoginState, FormData>(signInAction, {});
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state.message ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-danger">{state.message}</p>
      ) : null}
      <div>
        <label htmlFor="email" className="block font-medium">{t("email")}</label>
        <input id="email" name="email" type="email" autoComplete="username" required defaultValue={state.email} className="mt-1 w-full rounded border border-line px-2 py-1.5" />
      </div>
      <div>
        <label htmlFor="password" className="block font-medium">{t("password")}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className="mt-1 w-full rounded border border-line px-2 py-1.5" />
      </div>
      <Button type="submit" variant="primary" disabled={pending} className="w-full justify-center">
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
