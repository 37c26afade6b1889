"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { createApiTokenSchema } from "@/lib/admin/schemas";
import { createApiTokenAction, revokeApiTokenAction } from "../actions";

export function CreateTokenForm({ accounts }: { accounts: { id: number; email: string }[] }) {
  const t = useTranslations("admin.tokens");
  const [secret, setSecret] = useState<string | null>(null);
  const { form, submit, pending, failure, errors } = useActionForm(createApiTokenSchema, { name: "" });
  const onSubmit = submit((values) => {
    setSecret(null);
    return createApiTokenAction(values);
  }, { onSuccess: (token) => { setSecret(token.secret); form.reset(); } });
  const error = failure?.message
    ?? (errors.name ? t("fieldError", { field: t("tokenName"), error: errors.name }) : errors.accountId ? t("fieldError", { field: t("account"), error: errors.accountId }) : null);
  return (
    <form className="rounded border border-line p-3" onSubmit={onSubmit}>
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="token-name" className="block text-sm font-medium">{t("tokenName")}</label>
          <input id="token-name" {...form.register("name")} required maxLength={100} placeholder={t("tokenNamePlaceholder")} aria-invalid={errors.name ? true : undefined} className="mt-1 rounded border border-line px-2 py-1" />
        </div>
        <div>
          <label htmlFor="token-account" className="block text-sm font-medium">{t("actsAs")}</label>
          <select id="token-account" {...form.register("accountId")} className="mt-1 rounded border border-line px-2 py-1">
            {accounts.map((a) => <option key={a.id} value={a.id}>{a.email}</option>)}
          </select>
        </div>
        <Button type="submit" variant="primary" disabled={pending}>{t("create")}</Button>
      </div>
      {error ? <p role="alert" className="mt-2 text-danger">{error}</p> : null}
      {secret ? (
        <div role="status" className="mt-3 rounded border border-green-200 bg-green-50 p-2">
          <p className="font-semibold text-ok">{t("copyNow")}</p>
          <label htmlFor="new-token" className="sr-only">{t("newToken")}</label>
          <input id="new-token" readOnly value={secret} className="mt-1 w-full rounded border border-line bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
    </form>
  );
}

export function RevokeTokenButton({ tokenId, name }: { tokenId: number; name: string }) {
  const t = useTranslations("admin.tokens");
  return (
    <ActionButton
      action={() => revokeApiTokenAction({ tokenId })}
      confirm={t("confirmRevoke", { name })}
      aria-label={t("revokeToken", { name })}
    >
      {t("revoke")}
    </ActionButton>
  );
}
