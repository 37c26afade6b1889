import { z } from "zod";

// Named permissions (SPEC §2). Roles carry a subset; accounts carry roles.
export const PERMISSIONS = [
  "people.read",
  "people.edit",
  "people.export",
  "privacy.prevent",
  "R_CAN_ANONYMIZE_USERS",
  "admin.data_privacy",
  "admin.settings",
] as const;

export type Permission = (typeof PERMISSIONS)[number];
export const permissionSchema = z.enum(PERMISSIONS);

export const PERMISSION_LABELS: Record<Permission, string> = {
  "people.read": "Search and view people, tickets and related records",
  "people.edit": "Rectify a person's data",
  "people.export": "Export a person's data and tickets",
  "privacy.prevent": "Set or lift “prevent anonymisation” on a profile",
  R_CAN_ANONYMIZE_USERS: "Review eligible profiles, receive the annual notices, anonymise people and tickets",
  "admin.data_privacy": "Create and monitor deletion tasks, manage retention rules",
  "admin.settings": "Privacy settings, roles and permissions, API tokens",
};

export const SEEDED_ROLES: { name: string; description: string; permissions: Permission[] }[] = [
  { name: "Admin", description: "Everything", permissions: [...PERMISSIONS] },
  {
    name: "SuperUser",
    description: "Reviews and anonymises eligible profiles",
    permissions: ["people.read", "R_CAN_ANONYMIZE_USERS"],
  },
  {
    name: "Staff",
    description: "Reads and corrects records, prevents anonymisation",
    permissions: ["people.read", "people.edit", "privacy.prevent"],
  },
  { name: "Agent", description: "Reads records", permissions: ["people.read"] },
];

export function hasPermission(granted: readonly string[], needed: Permission) {
  return granted.includes(needed);
}
