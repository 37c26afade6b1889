import { expect, type Page, test } from "@playwright/test";
import { runCron } from "./helpers";

async function confirmDeletion(page: Page) {
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("region", { name: "What will be removed" })).toBeVisible();
  await expect(dialog.getByText(/\d+ customer tickets?\b/)).toBeVisible();
  await expect(dialog.getByText(/may change before the task runs/)).toBeVisible();
  const override = dialog.getByLabel("Reason to override the open obligations");
  if (await override.isVisible()) await override.fill("Contract ended; debt written off");
  const confirm = dialog.getByLabel("Type DELETE to confirm");
  await confirm.fill("delete");
  await expect(dialog.getByRole("button", { name: "Delete", exact: true })).toBeDisabled();
  await confirm.fill("DELETE");
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dialog.getByText(/Task #\d+ is queued/)).toBeVisible();
  const link = dialog.getByRole("link", { name: /Open task #\d+/ });
  const taskId = Number((await link.textContent())!.match(/#(\d+)/)![1]);
  return taskId;
}

async function expectCompleted(page: Page, request: Parameters<typeof runCron>[0], taskId: number) {
  await page.goto(`/privacy/tasks/${taskId}`);
  await expect(page.getByRole("main").getByText("queued", { exact: true })).toBeVisible();
  await runCron(request);
  await page.reload();
  await expect(page.getByRole("main").getByText("completed", { exact: true })).toBeVisible();
  await expect(page.getByText("no residue")).toBeVisible();
}

test("delete from the person's page", async ({ page, request }) => {
  await page.goto("/people?sort=name&dir=desc&kind=customer");
  await page.getByRole("table", { name: "People" }).getByRole("row").nth(3).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  const taskId = await confirmDeletion(page);
  await expectCompleted(page, request, taskId);
  await page.goto(`/people?query=${encodeURIComponent(name)}`);
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});

test("delete from a row of the people list", async ({ page, request }) => {
  await page.goto("/people?sort=name&dir=desc&kind=member");
  const row = page.getByRole("table", { name: "People" }).getByRole("row").nth(2);
  const name = (await row.getByRole("link").first().textContent())!.trim();
  await row.getByRole("button", { name: `Delete ${name}` }).click();
  const taskId = await confirmDeletion(page);
  await expectCompleted(page, request, taskId);
});

test("delete from the data-privacy page, searching the person in the dialog; a queued task can be cancelled", async ({ page, request }) => {
  await page.goto("/privacy");
  await page.getByRole("button", { name: "New deletion task" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Person to delete").fill("Jonas Brandt");
  await dialog.getByRole("button", { name: "Find person" }).click();
  await dialog.getByRole("button", { name: "Select Jonas Brandt" }).click();
  await expect(dialog.getByText(/Cello #C-042/).first()).toBeVisible();
  const taskId = await confirmDeletion(page);
  await page.goto("/privacy");
  await page.getByRole("button", { name: `Cancel task #${taskId}` }).click();
  await expect(page.getByRole("row", { name: new RegExp(`#${taskId}`) }).getByText("cancelled")).toBeVisible();
  await runCron(request);
  await page.goto(`/people?query=jonas.brandt@example.org`);
  await expect(page.getByRole("link", { name: "Jonas Brandt" })).toBeVisible();
});

test("the activity stream shows the deletion tasks to data-privacy administrators", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Activity" }).getByText(/Deletion task #\d+/).first()).toBeVisible();
});
