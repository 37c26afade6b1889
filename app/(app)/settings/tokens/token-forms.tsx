"use client";

import { useState, useTransition } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { createApiTokenAction, revokeApiTokenAction } from "../actions";

export function CreateTokenForm({ accounts }: { accounts: { id: number; email: string }[] }) {
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="rounded border border-line p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const form = e.currentTarget;
        start(async () => {
          const result = await createApiTokenAction({ accountId: data.get("accountId"), name: data.get("name") });
          if (result.ok) { setSecret(result.data.secret); setError(null); form.reset(); }
          else { setError(result.message); setSecret(null); }
        });
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="token-name" className="block text-sm font-medium">Token name</label>
          <input id="token-name" name="name" required maxLength={100} placeholder="e.g. HR integration" className="mt-1 rounded border border-line px-2 py-1" />
        </div>
        <div>
          <label htmlFor="token-account" className="block text-sm font-medium">Acts as account</label>
          <select id="token-account" name="accountId" className="mt-1 rounded border border-line px-2 py-1">
            {accounts.map((a) => <option key={a.id} value={a.id}>{a.email}</option>)}
          </select>
        </div>
        <Button type="submit" variant="primary" disabled={pending}>Create token</Button>
      </div>
      {error ? <p role="alert" className="mt-2 text-danger">{error}</p> : null}
      {secret ? (
        <div role="status" className="mt-3 rounded border border-green-200 bg-green-50 p-2">
          <p className="font-semibold text-ok">Copy the token now: it will not be shown again.</p>
          <label htmlFor="new-token" className="sr-only">New API token</label>
          <input id="new-token" readOnly value={secret} className="mt-1 w-full rounded border border-line bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
    </form>
  );
}

export function RevokeTokenButton({ tokenId, name }: { tokenId: number; name: string }) {
  return (
    <ActionButton
      action={() => revokeApiTokenAction({ tokenId })}
      confirm={`Revoke the token “${name}”? Integrations using it stop working at once.`}
      aria-label={`Revoke token ${name}`}
    >
      Revoke
    </ActionButton>
  );
}
