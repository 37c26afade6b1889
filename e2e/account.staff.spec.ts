import { type Browser, expect, type Page, test } from "@playwright/test";
import { audit } from "./audit";
import { DEMO_PASSWORD } from "./helpers";

// A staff member corrects their own name and sign-in address at /account. The account is
// planted for this spec alone (e2e/plant.ts): changing the address ends the account's other
// sessions, which must not be the demo staff account's stored sign-in.

const OLD_EMAIL = "profile.staff@lethe.test";
const NEW_EMAIL = "petra.profil@lethe.test";

test.use({ storageState: { cookies: [], origins: [] } });

async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signedInElsewhere(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, OLD_EMAIL);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
  return { context, page };
}

test("staff changes their own name and e-mail address with their current password", async ({ page, browser }) => {
  const elsewhere = await signedInElsewhere(browser);
  await signIn(page, OLD_EMAIL);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });

  expect(await audit(page, "/account")).toEqual({ violations: [], refused: [] });
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await page.screenshot({ path: "test-results/account/account.png", fullPage: true });

  const name = page.getByRole("region", { name: "Name" });
  await expect(name.getByLabel("First name")).toHaveValue("Petra");
  await name.getByLabel("Last name").fill("Profil-Neumann");
  await name.getByRole("button", { name: "Save name" }).click();
  await expect(name.getByRole("status")).toHaveText("Name saved.");

  const email = page.getByRole("region", { name: "E-mail address" });
  await email.getByLabel("New e-mail address").fill("not an address");
  await email.getByLabel("Current password").fill(DEMO_PASSWORD);
  await email.getByRole("button", { name: "Change e-mail address" }).click();
  await expect(email.getByText("must be a valid e-mail address")).toBeVisible();

  await email.getByLabel("New e-mail address").fill(NEW_EMAIL);
  await email.getByLabel("Current password").fill("not-the-password");
  await email.getByRole("button", { name: "Change e-mail address" }).click();
  await expect(email.getByRole("alert")).toHaveText("The current password is not correct.");
  await expect(email.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");

  await email.getByLabel("Current password").fill(DEMO_PASSWORD);
  await email.getByRole("button", { name: "Change e-mail address" }).click();
  await expect(email.getByRole("status")).toHaveText("E-mail address changed. 1 other session was ended.");
  await expect(page.getByRole("region", { name: "Account" })).toContainText(NEW_EMAIL);
  await page.screenshot({ path: "test-results/account/account-changed.png", fullPage: true });

  // This browser stays signed in; the other one is signed out.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await elsewhere.page.goto("/account");
  await expect(elsewhere.page).toHaveURL(/\/login/);
  await elsewhere.context.close();

  // The old address no longer signs in; the new one does.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, OLD_EMAIL);
  await expect(page.getByRole("alert").filter({ hasText: "not correct" })).toBeVisible();
  await signIn(page, NEW_EMAIL);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
});
