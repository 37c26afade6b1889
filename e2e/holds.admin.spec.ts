import { expect, test } from "@playwright/test";

// A hold blocks deletion (SPEC §13): the dialog shows it, and only a reason to override
// it lets the task be queued; the task keeps the reference and the reason, and a
// cancelled task says who cancelled it.

test("the deletion dialog shows a hold and needs a reason to override it; the task shows reference, override and who cancelled", async ({ page }) => {
  await page.goto("/people?sort=name&dir=asc&kind=customer");
  // The demo's anonymised people have no last name and sort first: a person with a name.
  await page.getByRole("table", { name: "People" }).getByRole("row").filter({ hasNotText: "Anonymized" }).nth(4).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  const profile = page.url();
  const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();

  await page.getByRole("button", { name: "Prevent anonymisation" }).click();
  await page.getByLabel("Reason", { exact: true }).fill("Lawyer's letter of 3 November");
  await page.getByRole("button", { name: "Prevent anonymisation" }).click();
  await expect(page.getByText("This hold also blocks deleting the person and retention rules on their tickets.")).toBeVisible();

  await page.getByRole("button", { name: `Delete ${name}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText(/^On hold since .+: Lawyer's letter of 3 November$/)).toBeVisible();
  await expect(dialog.getByText("Set by admin@lethe.test. The deletion needs a reason to override the hold.")).toBeVisible();
  const override = dialog.getByLabel("Reason to override the open obligations");
  if (await override.isVisible()) await override.fill("Contract ended; debt written off");
  await dialog.getByLabel("Reference (optional)").fill("REQ-2026-17");
  await dialog.getByLabel("Type DELETE to confirm").fill("DELETE");
  const remove = dialog.getByRole("button", { name: "Delete", exact: true });
  await expect(remove).toBeDisabled();
  await dialog.getByLabel("Reason to override the hold for this task").fill("Court order 12 O 345/26 ends the hold");
  await dialog.screenshot({ path: "test-results/holds/deletion-dialog-hold.png" });
  await expect(remove).toBeEnabled();
  await remove.click();
  const link = dialog.getByRole("link", { name: /Open task #\d+/ });
  const taskId = Number((await link.textContent())!.match(/#(\d+)/)![1]);

  await page.goto(`/privacy/tasks/${taskId}`);
  await expect(page.getByText("REQ-2026-17")).toBeVisible();
  await expect(page.getByText("Court order 12 O 345/26 ends the hold")).toBeVisible();
  await page.getByRole("button", { name: `Cancel task #${taskId}` }).click();
  // The task page is not revalidated by the cancellation: read it again until it says so.
  await expect.poll(async () => {
    await page.reload();
    return page.getByText(/^by admin@lethe\.test on /).count();
  }).toBe(1);
  await page.screenshot({ path: "test-results/holds/task-cancelled.png", fullPage: true });

  await page.goto("/privacy");
  await expect(page.getByRole("table", { name: "Privacy tasks" }).getByRole("row").filter({ hasText: `#${taskId}` })).toContainText("REQ-2026-17");

  // The hold is lifted again, with a reason, so the profile is as the seed left it.
  await page.goto(profile);
  await page.getByRole("button", { name: "Lift prevention" }).click();
  await page.getByLabel("Reason for lifting").fill("Court order served");
  await page.getByRole("button", { name: "Lift the hold" }).click();
  await expect(page.getByRole("table", { name: "Holds set and lifted on this profile" }).getByRole("row")).toHaveCount(3);
});
