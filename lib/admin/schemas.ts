import { z } from "zod";
import { permissionSchema } from "../permissions";
import { idSchema } from "../validation";

// The inputs of the settings administration (roles, accounts' roles, API tokens), apart
// from the code that writes them: the settings forms check the same schemas in the browser.

export const roleSchema = z.object({
  name: z.string().trim().min(1, "is required").max(60, "must be at most 60 characters").regex(/^[\p{L}\p{N} _.-]+$/u, "may contain letters, digits, spaces, _ . -"),
  description: z.string().trim().max(300, "must be at most 300 characters").default(""),
  permissions: z.array(permissionSchema).max(20).default([]),
});

export const updateRoleSchema = roleSchema.extend({ roleId: idSchema });

export const setAccountRolesSchema = z.object({
  accountId: idSchema,
  roleIds: z.array(idSchema, { error: "must be a list of role ids" }).max(50).default([]),
  active: z.boolean().optional(),
});

export const createApiTokenSchema = z.object({
  accountId: idSchema,
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
});
