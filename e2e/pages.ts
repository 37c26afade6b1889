// The pages of Lethe, who may open each and what each shows from the database: shared
// by the body-leak matrix and the accessibility and headers checks.
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Permission, SEEDED_ROLES } from "../lib/permissions";
import type { Markers } from "./plant";

// Written by e2e/plant.ts when the server starts, after the test files are loaded: read late.
export const loadMarkers = () => JSON.parse(readFileSync(path.join(import.meta.dirname, ".markers.json"), "utf8")) as Markers;

export type Viewer = "admin" | "superuser" | "staff" | "agent" | "auditor" | "no session" | "revoked session";
export const ROLES = ["admin", "superuser", "staff", "agent", "auditor"] as const;
export const ROLE_NAMES = { admin: "Admin", superuser: "SuperUser", staff: "Staff", agent: "Agent", auditor: "Auditor" } as const;
export const permissionsOf = (role: (typeof ROLES)[number]) => SEEDED_ROLES.find((r) => r.name === ROLE_NAMES[role])!.permissions;

export type PageCase = {
  path: string;
  /** Any one suffices; an empty list: every signed-in account. */
  permissions: Permission[];
  /** What the page shows from the database, given who looks (their own e-mail is in the header). */
  data: (viewer: Viewer) => string[];
};

export const PAGE_NAMES = [
  "overview", "people list", "person profile", "person edit form", "ticket list", "ticket", "ticket print view",
  "review list", "task monitor", "anonymisation task", "deletion task", "retention rules", "new retention rule", "retention rule",
  "privacy settings", "roles", "accounts", "API tokens", "outbox", "outbox e-mail", "own account", "API documentation",
  "register", "export preview", "retention obligations", "audit log", "redaction review",
  "request queue", "new request", "request", "webhooks",
] as const;
export type PageName = (typeof PAGE_NAMES)[number];

/** One of the demo register's entries as the English seed writes it (read as a file: specs are ES modules). */
const seededRegisterWording = () =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../lib/i18n/messages/en/register.json"), "utf8")).seed.loans.recipients as string;

export function pagesOf(markers: Markers): Record<PageName, PageCase> {
  const { person, ticket, outbox, rule, tasks } = markers;
  const otherAccounts = (viewer: Viewer) => Object.entries(markers.accountEmails).filter(([role]) => role !== viewer).map(([, email]) => email);
  return {
    overview: { path: "/", permissions: [], data: () => [] },
    // The query names the address only up to "@": the full address in the body comes from the database.
    "people list": { path: `/people?query=${encodeURIComponent(person.email.split("@")[0] + "@")}`, permissions: ["people.read"], data: () => [person.email, person.name] },
    "person profile": { path: `/people/${person.id}`, permissions: ["people.read"], data: () => [person.email, person.name] },
    "person edit form": { path: `/people/${person.id}/edit`, permissions: ["people.edit"], data: () => [person.email] },
    "ticket list": { path: `/tickets?query=${ticket.number}`, permissions: ["people.read"], data: () => [ticket.title] },
    ticket: { path: `/tickets/${ticket.id}`, permissions: ["people.read"], data: () => [ticket.title] },
    "ticket print view": { path: `/tickets/${ticket.id}/print`, permissions: ["people.export"], data: () => [ticket.title] },
    "review list": { path: "/privacy/review", permissions: ["R_CAN_ANONYMIZE_USERS"], data: () => [person.organisation] },
    "task monitor": { path: "/privacy", permissions: ["admin.data_privacy", "privacy.audit"], data: () => [tasks.anonymise.label, tasks.delete.label] },
    "anonymisation task": { path: `/privacy/tasks/${tasks.anonymise.id}`, permissions: ["admin.data_privacy", "R_CAN_ANONYMIZE_USERS", "privacy.audit"], data: () => [tasks.anonymise.label] },
    "deletion task": { path: `/privacy/tasks/${tasks.delete.id}`, permissions: ["admin.data_privacy", "privacy.audit"], data: () => [tasks.delete.label] },
    "retention rules": { path: "/privacy/rules", permissions: ["admin.data_privacy"], data: () => [rule.name] },
    "new retention rule": { path: "/privacy/rules/new", permissions: ["admin.data_privacy"], data: () => [person.organisation] },
    "retention rule": { path: `/privacy/rules/${rule.id}`, permissions: ["admin.data_privacy"], data: () => [rule.name] },
    "privacy settings": { path: "/settings", permissions: ["admin.settings"], data: () => [person.preventionReason, person.name] },
    roles: { path: "/settings/roles", permissions: ["admin.settings"], data: () => [markers.roleDescription] },
    accounts: { path: "/settings/accounts", permissions: ["admin.settings"], data: otherAccounts },
    "API tokens": { path: "/settings/tokens", permissions: ["admin.settings"], data: () => [markers.tokenName] },
    outbox: { path: "/settings/outbox", permissions: ["admin.settings"], data: () => [outbox.subject] },
    "outbox e-mail": { path: `/settings/outbox/${outbox.id}`, permissions: ["admin.settings"], data: () => [outbox.subject, outbox.text] },
    "own account": { path: "/account", permissions: [], data: () => [] },
    // The OpenAPI document for people: every signed-in account, nothing from the database.
    "API documentation": { path: "/api/docs", permissions: [], data: () => [] },
    // The suite seeds in English: the demo register's wording (not personal data, but the page's own).
    register: { path: "/privacy/register", permissions: ["privacy.audit", "admin.settings", "admin.data_privacy"], data: () => [seededRegisterWording()] },
    "export preview": { path: `/people/${person.id}/export/preview`, permissions: ["people.export"], data: () => [person.email, person.name, ticket.title] },
    "retention obligations": { path: "/settings/obligations", permissions: ["admin.settings"], data: () => [markers.obligationLaw] },
    "audit log": { path: `/privacy/audit?type=retention_rule&subject=${rule.id}`, permissions: ["privacy.audit"], data: () => [markers.auditReason] },
    // The marker item belongs to an anonymisation: R_CAN_ANONYMIZE_USERS reads it (Admin holds that too).
    "redaction review": { path: "/privacy/redactions", permissions: ["R_CAN_ANONYMIZE_USERS", "admin.data_privacy"], data: () => [markers.mention.context] },
    // Data-subject requests (SPEC §11): the marker request by its number, and its page with the requester's address and the notes.
    "request queue": { path: `/requests?status=all&query=%23${markers.request.id}`, permissions: ["privacy.requests"], data: () => [markers.request.requesterName] },
    "new request": { path: "/requests/new", permissions: ["privacy.requests"], data: () => [] },
    request: { path: `/requests/${markers.request.id}`, permissions: ["privacy.requests"], data: () => [markers.request.requesterEmail, markers.request.notes] },
    // Settings → Webhooks: the planted (paused) endpoint's URL and description.
    webhooks: { path: "/settings/webhooks", permissions: ["admin.settings"], data: () => [markers.webhook.url, markers.webhook.description] },
  };
}

/** Whether a signed-in role may open the page. */
export const mayOpen = (pageCase: PageCase, role: (typeof ROLES)[number]) =>
  pageCase.permissions.length === 0 || pageCase.permissions.some((p) => permissionsOf(role).includes(p));
