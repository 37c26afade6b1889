import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { api } from "./api-contract";

// Security headers on pages (set by proxy.ts) and on the API (next.config.ts).

const HSTS = "max-age=63072000; includeSubDomains";

test("pages: a nonce-based CSP without 'unsafe-inline', HSTS only when served over HTTPS", async ({ request }) => {
  const plain = await request.get("/login");
  expect(plain.status()).toBe(200);
  const csp = plain.headers()["content-security-policy"] ?? "";
  const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  expect(directives["script-src"]).toContainEqual(expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]+'$/));
  expect(directives["style-src"]).toContainEqual(expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]+'$/));
  expect(csp).not.toContain("unsafe-inline");
  expect(plain.headers()["x-content-type-options"]).toBe("nosniff");
  expect(plain.headers()["strict-transport-security"]).toBeUndefined();

  const proxied = await request.get("/login", { headers: { "X-Forwarded-Proto": "https" } });
  expect(proxied.headers()["strict-transport-security"]).toBe(HSTS);
  // The redirect to the sign-in page is a page response too.
  const redirect = await request.get("/settings", { headers: { "X-Forwarded-Proto": "https" }, maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers()["strict-transport-security"]).toBe(HSTS);
});

test("API: HSTS only when served over HTTPS, a CSP that allows nothing", async ({ request }) => {
  const plain = await api(request).get("/api/v1/people");
  expect(plain.status()).toBe(401);
  expect(plain.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(plain.headers()["strict-transport-security"]).toBeUndefined();
  const proxied = await api(request).get("/api/v1/people", { headers: { "X-Forwarded-Proto": "https" } });
  expect(proxied.status()).toBe(401);
  expect(proxied.headers()["strict-transport-security"]).toBe(HSTS);
});

test("sign-in page: accessible, nothing refused by the CSP", async ({ page }) => {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.goto("/login");
  await page.waitForLoadState("networkidle");
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(result.violations.filter((v) => v.impact === "critical" || v.impact === "serious").map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  expect(refused).toEqual([]);
});

test("an inline style attribute is refused and reported, so the CSP checks of the pages can fail", async ({ page }) => {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.goto("/login");
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">styled</p>'));
  await expect.poll(() => refused.length).toBeGreaterThan(0);
  expect(refused.join("\n")).toMatch(/style/);
  await expect(page.locator("#styled")).not.toHaveCSS("color", "rgb(255, 0, 0)");
});
