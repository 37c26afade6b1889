import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { listAccounts } from "@/lib/admin/accounts";
import { listApiTokens } from "@/lib/admin/tokens";
import { getFormats } from "../../../_components/format-server";
import { Empty, PageHeader } from "../../../_components/ui";
import { CreateTokenForm, RevokeTokenButton } from "./token-forms";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("tokens.title") };
}

export default async function TokensPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const db = getDb();
  const [tokens, accounts, t, f, tDocs] = await Promise.all([listApiTokens(db), listAccounts(db), getTranslations("admin.tokens"), getFormats(), getTranslations("apiDocs")]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <p className="mb-4"><Link href="/api/docs">{tDocs("tokensLink")}</Link></p>
      <CreateTokenForm accounts={accounts.filter((a) => a.active).map((a) => ({ id: a.id, email: a.email }))} />
      {tokens.length === 0 ? <Empty>{t("empty")}</Empty> : (
        <table aria-label={t("table")} className="mt-4">
          <thead><tr><th scope="col">{t("name")}</th><th scope="col">{t("account")}</th><th scope="col">{t("startsWith")}</th><th scope="col">{t("created")}</th><th scope="col">{t("lastUsed")}</th><th scope="col">{t("status")}</th></tr></thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{token.accountEmail}</td>
                <td><code>{token.prefix}…</code></td>
                <td className="whitespace-nowrap">{f.dateTime(token.createdAt)}</td>
                <td className="whitespace-nowrap">{token.lastUsedAt ? f.dateTime(token.lastUsedAt) : t("never")}</td>
                <td>{token.revokedAt ? t("revokedAt", { date: f.dateTime(token.revokedAt) }) : <RevokeTokenButton tokenId={token.id} name={token.name} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
