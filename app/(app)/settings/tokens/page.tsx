import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listAccounts } from "@/lib/admin/accounts";
import { listApiTokens } from "@/lib/admin/tokens";
import { Empty, formatDateTime, PageHeader } from "../../../_components/ui";
import { CreateTokenForm, RevokeTokenButton } from "./token-forms";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const db = getDb();
  const [tokens, accounts] = await Promise.all([listApiTokens(db), listAccounts(db)]);
  return (
    <>
      <PageHeader title="API tokens" description="Each token acts with the permissions of its account. The token is shown once, when it is created; Lethe keeps only its hash." />
      <CreateTokenForm accounts={accounts.filter((a) => a.active).map((a) => ({ id: a.id, email: a.email }))} />
      {tokens.length === 0 ? <Empty>No API tokens yet.</Empty> : (
        <table aria-label="API tokens" className="mt-4">
          <thead><tr><th scope="col">Name</th><th scope="col">Account</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.accountEmail}</td>
                <td><code>{t.prefix}…</code></td>
                <td className="whitespace-nowrap">{formatDateTime(t.createdAt)}</td>
                <td className="whitespace-nowrap">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}</td>
                <td>{t.revokedAt ? `revoked ${formatDateTime(t.revokedAt)}` : <RevokeTokenButton tokenId={t.id} name={t.name} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
