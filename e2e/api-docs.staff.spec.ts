import { expect, test } from "@playwright/test";
import { audit } from "./audit";

// /api/docs as a signed-in account without any settings permission reads it: every
// operation of the published document under its tag, each answer with its schema, the
// raw JSON one link away (read with the same session), the page's own CSP with its nonce
// (not the API's, which allows nothing), and no serious axe violation.

test("a staff account reads the API documentation, and the raw document behind it", async ({ page }) => {
  const { violations, refused } = await audit(page, "/api/docs");
  expect(violations).toEqual([]);
  expect(refused).toEqual([]);
  await expect(page.getByRole("heading", { level: 1, name: "API documentation" })).toBeVisible();

  const response = await page.request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toBe("3.1.0");
  const operations = Object.entries(document.paths as Record<string, Record<string, { operationId: string; summary: string }>>)
    .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, ...op })));
  expect(operations.length).toBeGreaterThanOrEqual(14);
  for (const op of operations) {
    await expect(page.getByRole("heading", { level: 3, name: `${op.method.toUpperCase()} ${op.path} ${op.summary}` }), op.operationId).toBeVisible();
  }
  // An answer's schema is readable: the person's fields, the error shape every refusal links to.
  const getPerson = page.getByRole("article", { name: /^GET \/api\/v1\/people\/\{id\} / });
  await expect(getPerson.getByRole("rowheader", { name: "401" })).toBeVisible();
  await expect(getPerson.getByRole("link", { name: /The error shape, code unauthorized/ })).toBeVisible();
  await expect(page.getByRole("article", { name: "Error" }).getByText("code", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("article", { name: "Person" }).getByText("eligibility", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "OpenAPI document (JSON)" })).toHaveAttribute("href", "/api/v1/openapi.json");

  const docs = await page.request.get("/api/docs");
  expect(docs.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  expect(docs.headers()["content-security-policy"]).not.toContain("default-src 'none'");
  await page.screenshot({ path: "test-results/api-docs.png", fullPage: false });
  await page.getByRole("link", { name: "GET /api/v1/privacy-tasks/{id}" }).click();
  await expect(page).toHaveURL(/#op-getPrivacyTask$/);
  await page.screenshot({ path: "test-results/api-docs-task.png", fullPage: false });
  await page.getByRole("link", { name: "Person", exact: true }).first().click();
  await expect(page).toHaveURL(/#schema-Person$/);
  await page.screenshot({ path: "test-results/api-docs-schema.png", fullPage: false });
});
