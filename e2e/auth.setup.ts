import { expect, test as setup } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers";

const ROLES = ["admin", "superuser", "staff", "agent", "auditor"] as const;

for (const role of ROLES) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(`${role}@lethe.test`);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The first request of a fresh server renders slowly on a busy machine.
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
    await page.context().storageState({ path: `e2e/.auth/${role}.json` });
  });
}
