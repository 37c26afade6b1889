import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { listAccounts, listRoles } from "@/lib/admin/accounts";
import { PageHeader } from "../../../_components/ui";
import { AccountRow } from "./account-row";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("accounts.title") };
}

export default async function AccountsPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const db = getDb();
  const [accounts, roles, t] = await Promise.all([listAccounts(db), listRoles(db), getTranslations("admin.accounts")]);
  return (
    <>
      <PageHeader title={t("title")} description={t.rich("description", { code: (chunks) => <code>{chunks}</code> })} />
      <table aria-label={t("table")}>
        <thead><tr><th scope="col">{t("account")}</th><th scope="col">{t("lastSignIn")}</th><th scope="col">{t("roles")}</th><th scope="col">{t("active")}</th><th scope="col"><span className="sr-only">{t("save")}</span></th></tr></thead>
        <tbody>
          {accounts.map((a) => <AccountRow key={a.id} account={{ ...a, lastSignInAt: a.lastSignInAt ? new Date(a.lastSignInAt).toISOString() : null }} roles={roles.map((r) => ({ id: r.id, name: r.name }))} />)}
        </tbody>
      </table>
    </>
  );
}
