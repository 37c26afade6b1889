import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listAccounts, listRoles } from "@/lib/admin/accounts";
import { PageHeader } from "../../../_components/ui";
import { AccountRow } from "./account-row";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const db = getDb();
  const [accounts, roles] = await Promise.all([listAccounts(db), listRoles(db)]);
  return (
    <>
      <PageHeader
        title="Accounts"
        description={<>Sign-ins of the people who work with Lethe. New accounts are created with <code>npm run account:create</code>.</>}
      />
      <table aria-label="Accounts">
        <thead><tr><th scope="col">Account</th><th scope="col">Last sign-in</th><th scope="col">Roles</th><th scope="col">Active</th><th scope="col"><span className="sr-only">Save</span></th></tr></thead>
        <tbody>
          {accounts.map((a) => <AccountRow key={a.id} account={{ ...a, lastSignInAt: a.lastSignInAt ? new Date(a.lastSignInAt).toISOString() : null }} roles={roles.map((r) => ({ id: r.id, name: r.name }))} />)}
        </tbody>
      </table>
    </>
  );
}
