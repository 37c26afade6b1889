"use client";

import { useTranslations } from "next-intl";
import type { z } from "zod";
import { ActionButton } from "@/app/_components/action-button";
import { Button } from "@/app/_components/ui";
import { useActionForm } from "@/app/_components/use-action-form";
import { roleSchema } from "@/lib/admin/schemas";
import { createRoleAction, deleteRoleAction, updateRoleAction } from "../actions";

type Role = { id: number; name: string; description: string; permissions: string[]; accounts: number };

const FIELDS = ["name", "description", "permissions"] as const;

export function RoleForm({ role, permissions }: { role: Role | null; permissions: { name: string; label: string }[] }) {
  const t = useTranslations("admin.roles");
  const { form, submit, pending, failure, done, errors } = useActionForm(roleSchema, {
    name: role?.name ?? "",
    description: role?.description ?? "",
    // As stored: a name that is no longer a permission is refused here as on the server.
    permissions: (role?.permissions ?? []) as z.input<typeof roleSchema>["permissions"],
  });
  const idBase = role ? `role-${role.id}` : "role-new";
  const save = submit((values) => (role ? updateRoleAction({ ...values, roleId: role.id }) : createRoleAction(values)), {
    success: (saved) => (role ? t("saved") : t("created", { name: saved.name })),
    onSuccess: () => { if (!role) form.reset(); },
  });
  const fieldName = (field: string) => ((FIELDS as readonly string[]).includes(field) ? t(`fields.${field as (typeof FIELDS)[number]}`) : field);
  const invalid = Object.entries(errors).map(([field, error]) => t("fieldError", { field: fieldName(field), error })).join("; ");
  const error = failure?.message ?? (invalid || null);

  return (
    <form onSubmit={save} noValidate>
      <fieldset className="rounded border border-line p-3">
        <legend className="px-1 font-semibold">{role ? t("legend", { name: role.name, count: role.accounts }) : t("newRole")}</legend>
        <div className="mb-2 grid gap-2 sm:grid-cols-2">
          <div>
            <label htmlFor={`${idBase}-name`} className="block text-sm font-medium">{t("fields.name")}</label>
            <input id={`${idBase}-name`} {...form.register("name")} maxLength={60} aria-invalid={errors.name ? true : undefined} className="mt-1 w-full rounded border border-line px-2 py-1 aria-invalid:border-danger" />
          </div>
          <div>
            <label htmlFor={`${idBase}-description`} className="block text-sm font-medium">{t("fields.description")}</label>
            <input id={`${idBase}-description`} {...form.register("description")} maxLength={300} aria-invalid={errors.description ? true : undefined} className="mt-1 w-full rounded border border-line px-2 py-1 aria-invalid:border-danger" />
          </div>
        </div>
        <ul className="grid gap-1 sm:grid-cols-2">
          {permissions.map((p) => {
            const id = `${idBase}-${p.name}`;
            return (
              <li key={p.name} className="flex items-start gap-2">
                <input id={id} type="checkbox" value={p.name} {...form.register("permissions")} className="mt-1" />
                <label htmlFor={id}><code className="text-xs">{p.name}</code> <span className="text-muted">— {p.label}</span></label>
              </li>
            );
          })}
        </ul>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Button type="submit" variant="primary" disabled={pending}>{role ? t("save", { name: role.name }) : t("create")}</Button>
          {role ? (
            <ActionButton
              action={() => deleteRoleAction({ roleId: role.id })}
              confirm={t("confirmDelete", { name: role.name, count: role.accounts })}
              success={() => t("deleted")}
              messageClassName=""
            >
              {t("delete", { name: role.name })}
            </ActionButton>
          ) : null}
          {error ? <span role="alert" className="text-danger">{error}</span> : done ? <span role="status" className="text-ok">{done}</span> : null}
        </div>
      </fieldset>
    </form>
  );
}
