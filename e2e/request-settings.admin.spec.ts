import path from "node:path";
import { expect, type Page, test } from "@playwright/test";

// The overview's data-subject requests (the seed has one overdue and one due this week)
// and the request settings on the privacy settings page: saved, refused naming the
// field, shown again after a reload — and put back to the defaults for the other specs.

/** A full-page picture for a reviewer, when E2E_SCREENSHOTS names a folder. */
async function picture(page: Page, name: string) {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, name), fullPage: true });
}

test("the administrator sees the open, soon due and overdue requests on the overview, each linking to the queue", async ({ page }) => {
  await page.goto("/");
  const requests = page.getByRole("region", { name: "Data-subject requests" });
  await expect(requests.getByRole("link", { name: /^\d+$/ }).first()).toHaveAttribute("href", "/requests?status=open");
  const overdue = requests.getByRole("link", { name: /requests? overdue/ });
  await expect(overdue).toHaveAttribute("href", "/requests?status=open&due=overdue");
  await expect(overdue).toHaveClass(/text-danger/);
  await picture(page, "overview-requests.png");
  const count = Number((await overdue.textContent())?.match(/\d+/)?.[0]);
  expect(count).toBeGreaterThan(0);
  await overdue.click();
  await expect(page).toHaveURL(/\/requests\?status=open&due=overdue/);
  // The queue filtered to them lists as many as the overview counted.
  await expect(page.getByRole("table", { name: "Data-subject requests" }).locator("tbody tr")).toHaveCount(count);
});

test("the administrator sets the request settings, is told which field is wrong, and restores the defaults", async ({ page }) => {
  await page.goto("/settings");
  const group = page.getByRole("group", { name: "Data-subject requests" });
  const pause = group.getByRole("checkbox", { name: /Pause the one-month clock/ });
  const fourEyes = group.getByRole("checkbox", { name: /Four-eyes deletions/ });
  const months = group.getByLabel("Keep closed requests for (months)");
  await expect(pause).toBeChecked();
  await expect(fourEyes).not.toBeChecked();
  await expect(months).toHaveValue("36");

  await months.fill("241");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText(/Keep closed requests for \(months\): /)).toBeVisible();
  await months.fill("48");
  await fourEyes.check();
  await pause.uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  await page.reload();
  await group.scrollIntoViewIfNeeded();
  await picture(page, "settings-requests.png");
  await expect(months).toHaveValue("48");
  await expect(fourEyes).toBeChecked();
  await expect(pause).not.toBeChecked();

  await months.fill("36");
  await fourEyes.uncheck();
  await pause.check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  await page.reload();
  await expect(months).toHaveValue("36");
  await expect(fourEyes).not.toBeChecked();
  await expect(pause).toBeChecked();
});
