import path from "node:path";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { audit } from "./audit";
import { runCron } from "./helpers";

// Four-eyes deletions (SPEC §11): with the setting on, the administrator's deletion waits
// for a second data-privacy administrator. The demo agent is given the Admin role for
// this spec (and only for it: the roles and the setting are put back afterwards), opens
// the task in their own session, approves it, and the worker deletes the person.

const AGENT = "agent@lethe.test";
/** Screenshots of the task page awaiting approval, kept where E2E_SCREENSHOT_DIR says (else with the test's output). */
const screenshot = (name: string) => (process.env.E2E_SCREENSHOT_DIR ? path.join(process.env.E2E_SCREENSHOT_DIR, name) : test.info().outputPath(name));

async function setAgentAdmin(page: Page, admin: boolean) {
  await page.goto("/settings/accounts");
  const roles = page.getByRole("group", { name: `Roles of ${AGENT}` });
  const box = roles.getByLabel("Admin", { exact: true });
  if ((await box.isChecked()) === admin) return;
  await box.setChecked(admin);
  await page.getByRole("button", { name: `Save ${AGENT}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
}

async function setFourEyes(page: Page, on: boolean) {
  await page.goto("/settings");
  const box = page.getByLabel(/^Four-eyes deletions/);
  if ((await box.isChecked()) === on) return;
  await box.setChecked(on);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(/^Four-eyes deletions/)).toBeChecked({ checked: on });
}

/** The agent's own signed-in session (saved by the setup project), in a context of its own. */
async function agentPage(browser: Browser) {
  const context = await browser.newContext({ storageState: "e2e/.auth/agent.json" });
  return { page: await context.newPage(), close: () => context.close() };
}

test.afterAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: "e2e/.auth/admin.json" });
  const page = await context.newPage();
  await setFourEyes(page, false);
  await setAgentAdmin(page, false);
  await context.close();
});

test("a deletion waits for a second data-privacy administrator, who approves it; then it completes", async ({ page, browser, request }) => {
  await setAgentAdmin(page, true);
  await setFourEyes(page, true);

  // The administrator requests a deletion from the person's page.
  await page.goto("/people?sort=name&dir=asc&kind=student");
  // The demo's anonymised people have no last name and sort first: a person with a name.
  await page.getByRole("table", { name: "People" }).getByRole("row").filter({ hasNotText: "Anonymized" }).nth(2).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("region", { name: "What will be removed" })).toBeVisible();
  await expect(dialog.getByText(/^Four-eyes deletions are on: the task will wait/)).toBeVisible();
  const override = dialog.getByLabel("Reason to override the open obligations");
  if (await override.isVisible()) await override.fill("Contract ended; debt written off");
  const holdOverride = dialog.getByLabel("Reason to override the hold for this task");
  if (await holdOverride.isVisible()) await holdOverride.fill("Court order of 3 March");
  await dialog.getByLabel("Type DELETE to confirm").fill("DELETE");
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dialog.getByRole("heading", { name: "Deletion task awaiting approval" })).toBeVisible();
  await expect(dialog.getByText(/Task #\d+ waits until another data-privacy administrator approves it/)).toBeVisible();
  const taskId = Number((await dialog.getByRole("link", { name: /Open task #\d+/ }).textContent())!.match(/#(\d+)/)![1]);

  // The requester sees that it waits and why they cannot approve it; the worker leaves it alone.
  expect(await audit(page, `/privacy/tasks/${taskId}`)).toEqual({ violations: [], refused: [] });
  const main = page.getByRole("main");
  await expect(main.getByText("awaiting approval", { exact: true })).toBeVisible();
  await expect(main.getByText(/requested this deletion on/)).toContainText("admin@lethe.test");
  await expect(main.getByText("You requested this deletion, so you cannot approve it: another data-privacy administrator must. You can cancel it.")).toBeVisible();
  await expect(main.getByRole("button", { name: `Approve deletion task #${taskId}` })).toHaveCount(0);
  await expect(main.getByRole("button", { name: `Cancel task #${taskId}` })).toBeVisible();
  await page.screenshot({ path: screenshot("four-eyes-requester.png"), fullPage: true });
  await runCron(request);
  await page.reload();
  await expect(main.getByText("awaiting approval", { exact: true })).toBeVisible();

  // The monitor lists it under its status.
  await page.goto("/privacy?status=awaiting_approval");
  await expect(page.getByRole("row", { name: new RegExp(`#${taskId}\\b`) }).getByText("awaiting approval")).toBeVisible();

  // The second administrator approves it, after a confirmation that names the person's label.
  const agent = await agentPage(browser);
  try {
    expect(await audit(agent.page, `/privacy/tasks/${taskId}`)).toEqual({ violations: [], refused: [] });
    const approve = agent.page.getByRole("button", { name: `Approve deletion task #${taskId}` });
    await expect(approve).toBeVisible();
    await agent.page.screenshot({ path: screenshot("four-eyes-approver.png"), fullPage: true });
    let asked = "";
    agent.page.once("dialog", (d) => {
      asked = d.message();
      void d.accept();
    });
    await approve.click();
    await expect(agent.page.getByRole("main").getByText("queued", { exact: true })).toBeVisible();
    await expect(agent.page.getByRole("main").getByText(`by ${AGENT} on`)).toBeVisible();
    await expect(approve).toHaveCount(0);
    expect(asked).toMatch(new RegExp(`^Approve the deletion of .+ \\(task #${taskId}\\)\\? .*cannot be undone\\.$`));
  } finally {
    await agent.close();
  }

  // The worker runs it now.
  await runCron(request);
  await page.goto(`/privacy/tasks/${taskId}`);
  await expect(main.getByText("completed", { exact: true })).toBeVisible();
  await expect(main.getByText(`by ${AGENT} on`)).toBeVisible();
  await expect(page.getByText("no residue")).toBeVisible();
  await page.goto(`/people?query=${encodeURIComponent(name)}`);
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});
