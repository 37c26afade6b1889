import { expect, test } from "@playwright/test";
import { api } from "./api-contract";

test("pages redirect to the sign-in page without a session", async ({ page }) => {
  await page.goto("/people");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fpeople/);
});

test("wrong credentials get one message that does not reveal whether the e-mail exists", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("nobody@lethe.test");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const unknown = await page.getByRole("alert").filter({ hasText: "not correct" }).textContent();
  await page.getByLabel("Email").fill("agent@lethe.test");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not correct" })).toHaveText(unknown ?? "");
});

test("sign in and sign out", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("superuser@lethe.test");
  await page.getByLabel("Password").fill("lethe-demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/people");
  await expect(page).toHaveURL(/\/login/);
});

test("security headers on pages and API responses", async ({ request }) => {
  for (const path of ["/login", "/api/v1/people"]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  }
  const refused = await api(request).get("/api/v1/people");
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthorized");
});
