import { expect, test } from "@playwright/test";

test("staff prevents an eligible profile, which then leaves the review list", async ({ page, browser }) => {
  // Staff have no review list: walk the people list from the end of the alphabet (the
  // superuser's specs work from its start) to the first eligible profile that has no hold
  // history yet (a hold that lapsed is eligible again, and its history would come first).
  await page.goto("/people?sort=name&dir=desc&pageSize=50");
  const links = await page.getByRole("table", { name: "People" }).getByRole("link").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  let url: string | null = null;
  for (const href of links) {
    await page.goto(href);
    const lapsedHold = await page.getByRole("table", { name: "Holds set and lifted on this profile" }).count();
    if (await page.getByText("Eligible for anonymisation").isVisible() && !lapsedHold) { url = href; break; }
  }
  expect(url, "an eligible profile among the last 50 people").not.toBeNull();
  const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  await page.getByRole("button", { name: "Prevent anonymisation" }).click();
  await page.getByLabel("Reason").fill("Pending insurance claim");
  await page.getByLabel("Expires on (optional)").fill("2099-12-31");
  await page.getByRole("button", { name: "Prevent anonymisation" }).click();
  await expect(page.getByRole("paragraph").filter({ hasText: /^Anonymisation is prevented$/ })).toBeVisible();
  await expect(page.getByText(/Pending insurance claim — set by staff@lethe\.test/)).toBeVisible();

  const superuser = await browser.newContext({ storageState: "e2e/.auth/superuser.json" });
  const review = await superuser.newPage();
  await review.goto("/privacy/review?pageSize=200");
  await expect(review.getByRole("table", { name: "Profiles to review" })).toBeVisible();
  await expect(review.getByRole("link", { name, exact: true })).toHaveCount(0);
  await superuser.close();

  // Lifting asks for a reason, which stays in the profile's hold history.
  await page.goto(url!);
  await page.getByRole("button", { name: "Lift prevention" }).click();
  const lift = page.getByRole("button", { name: "Lift the hold" });
  await expect(lift).toBeDisabled();
  await page.getByLabel("Reason for lifting").fill("Claim settled, request REQ-2026-17");
  await lift.click();
  await expect(page.getByText("Eligible for anonymisation")).toBeVisible();
  const history = page.getByRole("table", { name: "Holds set and lifted on this profile" });
  await expect(history.getByRole("row")).toHaveCount(3);
  await expect(history.getByRole("row").nth(1)).toContainText("Lifted");
  await expect(history.getByRole("row").nth(1)).toContainText("Claim settled, request REQ-2026-17");
  await expect(history.getByRole("row").nth(1)).toContainText("staff@lethe.test");
  await expect(history.getByRole("row").nth(2)).toContainText(/Set until .*2099/);
  await expect(history.getByRole("row").nth(2)).toContainText("Pending insurance claim");
  await page.getByRole("heading", { name: "Hold history" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/holds/profile-hold-history.png", fullPage: true });
});

test("staff has no review list and no Delete action", async ({ page }) => {
  const response = await page.goto("/privacy/review");
  expect(response?.status()).toBe(403);
  await page.goto("/people");
  await expect(page.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
  expect((await page.goto("/privacy"))?.status()).toBe(403);
});
