"use server";

import { runAction } from "@/lib/action";
import { createRole, deleteRole, setAccountRoles, updateRole } from "@/lib/admin/roles";
import { createApiToken, revokeApiToken } from "@/lib/admin/tokens";

export async function createRoleAction(input: unknown) {
  return runAction(createRole, input, ["/settings/roles"]);
}
export async function updateRoleAction(input: unknown) {
  return runAction(updateRole, input, ["/settings/roles"]);
}
export async function deleteRoleAction(input: unknown) {
  return runAction(deleteRole, input, ["/settings/roles"]);
}
export async function setAccountRolesAction(input: unknown) {
  return runAction(setAccountRoles, input, ["/settings/accounts"]);
}
export async function createApiTokenAction(input: unknown) {
  return runAction(createApiToken, input, ["/settings/tokens"]);
}
export async function revokeApiTokenAction(input: unknown) {
  return runAction(revokeApiToken, input, ["/settings/tokens"]);
}
