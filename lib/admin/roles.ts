import { and, eq, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { accountRoles, accounts, roles } from "@/db/schema";
import { recordAudit } from "../audit";
import { DomainError } from "../errors";
import { defineOperation } from "../operation";
import { idSchema } from "../validation";
import { assertSettingsAdminRemains } from "./guards";
import { roleSchema, setAccountRolesSchema, updateRoleSchema } from "./schemas";

async function assertNameFree(tx: DbOrTx, name: string, exceptId?: number) {
  const clash = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(exceptId ? and(eq(roles.name, name), ne(roles.id, exceptId)) : eq(roles.name, name));
  if (clash.length) throw new DomainError("conflict", `A role named “${name}” already exists.`, { name: ["is already taken"] });
}

export const createRole = defineOperation({
  name: "createRole",
  permission: "admin.settings",
  input: roleSchema,
  async run({ tx, actor, input }) {
    await assertNameFree(tx, input.name);
    const [role] = await tx.insert(roles).values(input).returning();
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "role.created", targetType: "role", targetId: role.id, details: { name: role.name, permissions: role.permissions } });
    return role;
  },
});

export const updateRole = defineOperation({
  name: "updateRole",
  permission: "admin.settings",
  input: updateRoleSchema,
  async run({ tx, actor, input }) {
    const [existing] = await tx.select().from(roles).where(eq(roles.id, input.roleId)).for("update");
    if (!existing) throw new DomainError("not_found", `Role ${input.roleId} does not exist.`);
    await assertNameFree(tx, input.name, input.roleId);
    const [role] = await tx
      .update(roles)
      .set({ name: input.name, description: input.description, permissions: input.permissions })
      .where(eq(roles.id, input.roleId))
      .returning();
    await assertSettingsAdminRemains(tx);
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "role.updated", targetType: "role", targetId: role.id, details: { before: existing.permissions, after: role.permissions } });
    return role;
  },
});

export const deleteRole = defineOperation({
  name: "deleteRole",
  permission: "admin.settings",
  input: z.object({ roleId: idSchema }),
  async run({ tx, actor, input }) {
    const [existing] = await tx.select().from(roles).where(eq(roles.id, input.roleId)).for("update");
    if (!existing) throw new DomainError("not_found", `Role ${input.roleId} does not exist.`);
    await tx.delete(roles).where(eq(roles.id, input.roleId));
    await assertSettingsAdminRemains(tx);
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "role.deleted", targetType: "role", targetId: existing.id, details: { name: existing.name } });
    return { roleId: existing.id };
  },
});

export const setAccountRoles = defineOperation({
  name: "setAccountRoles",
  permission: "admin.settings",
  input: setAccountRolesSchema,
  async run({ tx, actor, input }) {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, input.accountId)).for("update");
    if (!account) throw new DomainError("not_found", `Account ${input.accountId} does not exist.`);
    const roleIds = [...new Set(input.roleIds)];
    if (roleIds.length) {
      const found = await tx.select({ id: roles.id }).from(roles).where(inArray(roles.id, roleIds));
      if (found.length !== roleIds.length) throw new DomainError("invalid_input", "One of the roles does not exist.", { roleIds: ["contains an unknown role"] });
    }
    await tx.delete(accountRoles).where(eq(accountRoles.accountId, account.id));
    if (roleIds.length) await tx.insert(accountRoles).values(roleIds.map((roleId) => ({ accountId: account.id, roleId })));
    if (input.active !== undefined) await tx.update(accounts).set({ active: input.active }).where(eq(accounts.id, account.id));
    await assertSettingsAdminRemains(tx);
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "account.roles_set", targetType: "account", targetId: account.id, details: { roleIds, active: input.active } });
    return { accountId: account.id, roleIds };
  },
});
