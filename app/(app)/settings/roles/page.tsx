import { requirePage } from "@/lib/auth/session";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listRoles } from "@/lib/admin/accounts";
import { PERMISSION_LABELS, PERMISSIONS } from "@/lib/permissions";
import { PageHeader } from "../../../_components/ui";
import { RoleForm } from "./role-form";

export const metadata: Metadata = { title: "Roles and permissions" };

export default async function RolesPage() {
  // The layout's check does not stop this from rendering: Next renders both at once.
  await requirePage("admin.settings");
  const roles = await listRoles(getDb());
  const permissions = PERMISSIONS.map((p) => ({ name: p, label: PERMISSION_LABELS[p] }));
  return (
    <>
      <PageHeader title="Roles and permissions" description="Roles carry permissions; accounts carry roles. Changes apply at once, on the next request of every account." />
      <div className="space-y-4">
        {roles.map((role) => <RoleForm key={role.id} role={role} permissions={permissions} />)}
        <RoleForm role={null} permissions={permissions} />
      </div>
    </>
  );
}
