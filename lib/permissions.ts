import { z } from "zod";
import type { Messages } from "@/lib/i18n/catalogues";
import type { Translator } from "@/lib/i18n/translate";

// Named permissions (SPEC §2). Roles carry a subset; accounts carry roles.
export const PERMISSIONS = [
  "people.read",
  "people.edit",
  "people.export",
  "privacy.prevent",
  "R_CAN_ANONYMIZE_USERS",
  "admin.data_privacy",
  "admin.settings",
  "privacy.audit",
  "privacy.requests",
] as const;

export type Permission = (typeof PERMISSIONS)[number];
export const permissionSchema = z.enum(PERMISSIONS);

// What each permission allows, as the roles page explains it: catalogue keys under
// admin.permissions (a permission's name holds dots, which a catalogue key may not).
const PERMISSION_LABEL_KEYS = {
  "people.read": "peopleRead",
  "people.edit": "peopleEdit",
  "people.export": "peopleExport",
  "privacy.prevent": "privacyPrevent",
  R_CAN_ANONYMIZE_USERS: "anonymiseUsers",
  "admin.data_privacy": "dataPrivacy",
  "admin.settings": "settings",
  "privacy.audit": "audit",
  "privacy.requests": "requests",
} as const satisfies Record<Permission, keyof Messages["admin"]["permissions"]>;

/**
 * What a permission allows, in the reader's language. Takes a translator
 * (translatorFor(locale)) rather than importing the catalogues: this module also reaches
 * the browser, through the role form's schema.
 */
export function permissionLabel(permission: Permission, t: Translator): string {
  return t(`admin.permissions.${PERMISSION_LABEL_KEYS[permission]}`);
}

export const SEEDED_ROLES: { name: string; description: string; permissions: Permission[] }[] = [
  { name: "Admin", description: "Everything", permissions: [...PERMISSIONS] },
  {
    name: "SuperUser",
    description: "Reviews and anonymises eligible profiles, answers data-subject requests",
    permissions: ["people.read", "R_CAN_ANONYMIZE_USERS", "privacy.requests"],
  },
  {
    name: "Staff",
    description: "Reads and corrects records, prevents anonymisation",
    permissions: ["people.read", "people.edit", "privacy.prevent"],
  },
  { name: "Agent", description: "Reads records", permissions: ["people.read"] },
  {
    // Reads the audit log, the task monitor, the register and the statistics; changes nothing.
    name: "Auditor",
    description: "Reads the audit log, the task monitor, the register and the statistics",
    permissions: ["privacy.audit"],
  },
];

export function hasPermission(granted: readonly string[], needed: Permission) {
  return granted.includes(needed);
}
