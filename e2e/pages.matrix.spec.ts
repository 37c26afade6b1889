import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers";
import { loadMarkers, PAGE_NAMES, pagesOf, permissionsOf, ROLES, type Viewer } from "./pages";

// Every page × every role, and a caller without a session or with a revoked one: the
// status must be right, and the whole body must hold none of the page's data unless the
// caller may see it. A layout's refusal does not stop the page from being rendered and
// streamed, so the body is what counts, not the status code.

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
