import { expect, test } from "@playwright/test";
import { DEMO_BLOCKED_PERSON } from "../db/seed/demo-people";

test("the agent reads a profile but gets no correction button", async ({ page }) => {
  await page.goto(`/people/${DEMO_BLOCKED_PERSON.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Jonas Brandt" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Correct data" })).toHaveCount(0);
});

test("the agent gets the forbidden page for editing and for the settings", async ({ page }) => {
  for (const path of [`/people/${DEMO_BLOCKED_PERSON.id}/edit`, "/settings/tokens"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  }
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
});

test("the agent cannot see the review list or the data-privacy page", async ({ page }) => {
  expect((await page.goto("/privacy/review"))?.status()).toBe(403);
  expect((await page.goto("/privacy"))?.status()).toBe(403);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Review" })).toHaveCount(0);
});
