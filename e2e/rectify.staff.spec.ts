import { expect, test } from "@playwright/test";
import { DEMO_BLOCKED_PERSON } from "../db/seed/demo-people";

test("staff corrects a field and sees it in the field history", async ({ page }) => {
  await page.goto(`/people/${DEMO_BLOCKED_PERSON.id}`);
  await page.getByRole("link", { name: "Correct data" }).click();
  await page.getByLabel("Phone").fill("+49 341 5550 0000");
  await page.getByLabel("E-mail").fill("not-an-email");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("E-mail must be a valid e-mail address")).toBeVisible();
  await page.getByLabel("E-mail").fill(DEMO_BLOCKED_PERSON.email);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("The changes were saved")).toBeVisible();
  const history = page.getByRole("table", { name: "Field history" });
  await expect(history.getByRole("row", { name: /Phone .*\+49 341 5550 9876.*\+49 341 5550 0000.*staff@lethe\.test/ })).toBeVisible();
});

test("staff cannot open the settings", async ({ page }) => {
  const response = await page.goto("/settings/roles");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
});
