import { readFileSync } from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { type Permission, SEEDED_ROLES } from "../lib/permissions";
import type { Markers } from "./plant";
import { DEMO_PASSWORD } from "./helpers";

// Every page × every role, and a caller without a session or with a revoked one: the
// status must be right, and the whole body must hold none of the page's data unless the
// caller may see it. A layout's refusal does not stop the page from being rendered and
// streamed, so the body is what counts, not the status code.

// Written by e2e/plant.ts when the server starts, after the test files are loaded: read late.
const loadMarkers = () => JSON.parse(readFileSync(path.join(import.meta.dirname, ".markers.json"), "utf8")) as Markers;

type Viewer = "admin" | "superuser" | "staff" | "agent" | "no session" | "revoked session";
const ROLES = ["admin", "superuser", "staff", "agent"] as const;
const ROLE_NAMES = { admin: "Admin", superuser: "SuperUser", staff: "Staff", agent: "Agent" } as const;
const permissionsOf = (role: (typeof ROLES)[number]) => SEEDED_ROLES.find((r) => r.name === ROLE_NAMES[role])!.permissions;

type PageCase = {
  path: string;
  /** Any one suffices; an empty list: every signed-in account. */
  permissions: Permission[];
  /** What the page shows from the database, given who looks (their own e-mail is in the header). */
  data: (viewer: Viewer) => string[];
};

const PAGE_NAMES = [
  "overview", "people list", "person profile", "person edit form", "ticket list", "ticket", "ticket print view",
  "review list", "task monitor", "anonymisation task", "deletion task", "retention rules", "new retention rule", "retention rule",
  "privacy settings", "roles", "accounts", "API tokens", "outbox", "outbox e-mail",
] as const;
type PageName = (typeof PAGE_NAMES)[number];

function pagesOf(markers: Markers): Record<PageName, PageCase> {
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
    "task monitor": { path: "/privacy", permissions: ["admin.data_privacy"], data: () => [tasks.anonymise.label, tasks.delete.label] },
    "anonymisation task": { path: `/privacy/tasks/${tasks.anonymise.id}`, permissions: ["admin.data_privacy", "R_CAN_ANONYMIZE_USERS"], data: () => [tasks.anonymise.label] },
    "deletion task": { path: `/privacy/tasks/${tasks.delete.id}`, permissions: ["admin.data_privacy"], data: () => [tasks.delete.label] },
    "retention rules": { path: "/privacy/rules", permissions: ["admin.data_privacy"], data: () => [rule.name] },
    "new retention rule": { path: "/privacy/rules/new", permissions: ["admin.data_privacy"], data: () => [person.organisation] },
    "retention rule": { path: `/privacy/rules/${rule.id}`, permissions: ["admin.data_privacy"], data: () => [rule.name] },
    "privacy settings": { path: "/settings", permissions: ["admin.settings"], data: () => [person.preventionReason, person.name] },
    roles: { path: "/settings/roles", permissions: ["admin.settings"], data: () => [markers.roleDescription] },
    accounts: { path: "/settings/accounts", permissions: ["admin.settings"], data: otherAccounts },
    "API tokens": { path: "/settings/tokens", permissions: ["admin.settings"], data: () => [markers.tokenName] },
    outbox: { path: "/settings/outbox", permissions: ["admin.settings"], data: () => [outbox.subject] },
    "outbox e-mail": { path: `/settings/outbox/${outbox.id}`, permissions: ["admin.settings"], data: () => [outbox.subject, outbox.text] },
  };
}

// A marker may reach the body as text, HTML-escaped or inside the JSON of the page's payload.
function forms(value: string) {
  const html = value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, html, json, JSON.stringify(json).slice(1, -1)])];
}
const holds = (body: string, value: string) => forms(value).some((form) => body.includes(form));

const contexts = new Map<Viewer, APIRequestContext>();

test.beforeAll(async ({ browser, baseURL }) => {
  for (const role of ROLES) {
    contexts.set(role, await playwrightRequest.newContext({ baseURL, storageState: `e2e/.auth/${role}.json` }));
  }
  contexts.set("no session", await playwrightRequest.newContext({ baseURL }));
  // A session of its own, signed out afterwards: sign-out deletes its row from `sessions`,
  // while the cookie kept here still carries a valid signature.
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@lethe.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
  const revoked = await context.storageState();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await context.close();
  contexts.set("revoked session", await playwrightRequest.newContext({ baseURL, storageState: revoked }));
});

test.afterAll(async () => {
  for (const context of contexts.values()) await context.dispose();
});

const VIEWERS: Viewer[] = [...ROLES, "no session", "revoked session"];

for (const name of PAGE_NAMES) {
  test(`${name}: status and body for every role`, async () => {
    const markers = loadMarkers();
    const pages = pagesOf(markers);
    const pageCase = pages[name];
    const everything = [...new Set(Object.values(pages).flatMap((p) => p.data("no session")))];
    for (const viewer of VIEWERS) {
      const response = await contexts.get(viewer)!.get(pageCase.path, { maxRedirects: 0 });
      const body = await response.text();
      const signedIn = viewer !== "no session" && viewer !== "revoked session";
      const allowed = signedIn && (pageCase.permissions.length === 0 || pageCase.permissions.some((p) => permissionsOf(viewer).includes(p)));
      const where = `${pageCase.path} as ${viewer}`;
      if (!signedIn) {
        expect([302, 303, 307, 308], `${where}: status`).toContain(response.status());
        expect(response.headers().location ?? "", `${where}: redirect`).toMatch(/^(https?:\/\/[^/]+)?\/login/);
        // Nothing held about anyone, not only this page's data.
        for (const value of [...everything, ...Object.values(markers.accountEmails)]) expect(holds(body, value), `${where}: body holds "${value}"`).toBe(false);
        continue;
      }
      expect(response.status(), `${where}: status`).toBe(allowed ? 200 : 403);
      for (const value of pageCase.data(viewer)) {
        expect(holds(body, value), `${where}: body ${allowed ? "lacks" : "holds"} "${value}"`).toBe(allowed);
      }
    }
  });
}
