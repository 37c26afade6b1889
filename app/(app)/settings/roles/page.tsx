import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { listRoles } from "@/lib/admin/accounts";
import { translatorFor } from "@/lib/i18n/translate";
import { permissionLabel, PERMISSIONS } from "@/lib/permissions";
import { PageHeader } from "../../../_components/ui";
import { RoleForm } from "./role-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("roles.title") };
}

export default async function RolesPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const roles = await listRoles(getDb());
  const [t, locale] = await Promise.all([getTranslations("admin"), getLocale()]);
  const labels = translatorFor(locale);
  const permissions = PERMISSIONS.map((p) => ({ name: p, label: permissionLabel(p, labels) }));
  return (
    <>
      <PageHeader title={t("roles.title")} description={t("roles.description")} />
      <div className="space-y-4">
        {roles.map((role) => <RoleForm key={role.id} role={role} permissions={permissions} />)}
        <RoleForm role={null} permissions={permissions} />
      </div>
    </>
  );
}
