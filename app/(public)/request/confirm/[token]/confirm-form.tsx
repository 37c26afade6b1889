"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui";
import type { ConfirmFormState } from "@/lib/requests/public/form-state";
import { confirmRequestAction } from "../../actions";

/** What a link's page says when it cannot be confirmed, or once it has been. */
export function LinkOutcome({ status }: { status: Exclude<ConfirmFormState["status"], "idle"> }) {
  const t = useTranslations("requestForm.confirm");
  const key = status === "confirmed" ? "done" : status;
  return (
    <div role={status === "confirmed" ? "status" : undefined}>
      <h1 className="text-lg font-semibold">{t(`${key}.title`)}</h1>
      <p className="mt-2">{t(`${key}.body`)}</p>
      {status === "expired" || status === "unknown" ? (
        <p className="mt-4"><Link href="/request">{t("newRequest")}</Link></p>
      ) : null}
    </div>
  );
}

export function ConfirmForm({ token, organisation }: { token: string; organisation: string }) {
  const t = useTranslations("requestForm.confirm");
  const [state, action, pending] = useActionState<ConfirmFormState, FormData>(confirmRequestAction, { status: "idle" });
  if (state.status !== "idle") return <LinkOutcome status={state.status} />;
  return (
    <form action={action}>
      <h1 className="text-lg font-semibold">{t("title")}</h1>
      <p className="mt-2 mb-4">{t("intro", { organisation })}</p>
      <input type="hidden" name="token" value={token} />
      <Button type="submit" variant="primary" disabled={pending}>{pending ? t("confirming") : t("button")}</Button>
    </form>
  );
}
