import { expect, test } from "@playwright/test";

const RULE = "Closed tickets after a year";

test("the admin creates a retention rule, sees a field error, runs the dry run, finds it in the list and deletes it", async ({ page }) => {
  await page.goto("/privacy/rules");
  await page.getByRole("link", { name: "New rule" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New retention rule" })).toBeVisible();

  await page.getByLabel("Name").fill(RULE);
  // The object decides which actions are offered.
  await expect(page.getByRole("radio", { name: "Add a deletion task" })).toBeVisible();
  await page.getByLabel("Object").selectOption("ticket");
  await expect(page.getByRole("radio", { name: "Add a deletion task" })).toHaveCount(0);
  await expect(page.getByRole("radio", { name: "Delete immediately" })).toBeVisible();
  await page.getByRole("radio", { name: "Anonymise" }).check();
  await page.getByRole("radio", { name: "On chosen days" }).check();
  await page.getByLabel("Monday").check();
  await page.getByLabel("Thursday").check();
  await page.getByLabel("Hour").selectOption("2");
  await page.getByLabel("Enabled").check();

  // No condition at all: refused, and the form keeps what was typed.
  await page.getByRole("button", { name: "Create rule" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "The rule was not saved" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("Conditions: Choose at least one condition");
  await expect(page.getByLabel("Name")).toHaveValue(RULE);

  // An invalid number: the field is named and marked.
  const closed = page.getByLabel("Closed older than (days)");
  await closed.fill("0");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByText("Closed older than (days): At least 1 day").first()).toBeVisible();
  await expect(closed).toHaveAttribute("aria-invalid", "true");

  await closed.fill("365");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page).toHaveURL(/\/privacy\/rules\/\d+/);
  await expect(page.getByRole("heading", { level: 1, name: RULE })).toBeVisible();
  await expect(page.getByText("Rule created.")).toBeVisible();
  await expect(page.getByText("The rule has not run yet.")).toBeVisible();

  // Dry run of the saved rule: a count and the first items, nothing changed.
  await page.getByRole("button", { name: "Dry run" }).click();
  const dryRun = page.getByRole("region", { name: "Dry run — nothing is changed" });
  await expect(dryRun.getByRole("status")).toContainText(/tickets? would be anonymised now/);
  const count = Number((await dryRun.getByRole("status").locator("strong").textContent())!.replace(/,/g, ""));
  expect(count).toBeGreaterThan(0);
  const items = dryRun.getByRole("table", { name: "What the rule would act on" });
  await expect(items.getByRole("link").first()).toHaveAttribute("href", /^\/tickets\/\d+$/);
  expect(await items.getByRole("link").count()).toBe(Math.min(count, 50));

  await page.goto("/privacy/rules");
  const row = page.getByRole("table", { name: "Retention rules" }).getByRole("row", { name: new RegExp(RULE) });
  await expect(row).toContainText("Anonymise the tickets");
  await expect(row).toContainText("closed more than 365 days ago");
  await expect(row).toContainText("Mon, Thu at 02:00");
  await expect(row).toContainText("enabled");

  // Deleting asks first, naming the rule.
  await row.getByRole("link", { name: RULE }).click();
  await page.getByRole("button", { name: "Delete rule" }).click();
  const confirm = page.getByRole("dialog", { name: `Delete the rule “${RULE}”?` });
  await confirm.getByRole("button", { name: `Delete “${RULE}”` }).click();
  await expect(page).toHaveURL(/\/privacy\/rules\?deleted=1/);
  await expect(page.getByText("The rule was deleted.")).toBeVisible();
  await expect(page.getByRole("link", { name: RULE })).toHaveCount(0);
});

test("an unsaved person rule can be dry-run from the editor", async ({ page }) => {
  await page.goto("/privacy/rules/new");
  await page.getByLabel("Last activity older than (days)").fill("365");
  await page.getByRole("button", { name: "Dry run" }).click();
  const dryRun = page.getByRole("region", { name: "Dry run — nothing is changed" });
  await expect(dryRun.getByRole("status")).toContainText(/would be queued for anonymisation now/);
  await expect(dryRun.getByRole("status")).toContainText("not saved");
  await expect(dryRun.getByText(/match the conditions/)).toBeVisible();
});

test("the overview shows this year's annual cycle", async ({ page }) => {
  await page.goto("/");
  const cycle = page.getByRole("region", { name: "Annual cycle" });
  await expect(cycle).toBeVisible();
  const steps = cycle.getByRole("list", { name: /Annual cycle \d{4}/ }).getByRole("listitem");
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText("Notice");
  await expect(steps.nth(1)).toContainText("First reminder");
  await expect(steps.nth(2)).toContainText("Second reminder");
  await expect(steps.nth(3)).toContainText("Anonymisation run");
  await expect(cycle.getByRole("link", { name: "Cycle settings" })).toHaveAttribute("href", "/settings");
});

test("the outbox lists the e-mails Lethe wrote", async ({ page }) => {
  await page.goto("/settings/outbox");
  await expect(page.getByRole("heading", { level: 1, name: "Outbox" })).toBeVisible();
  const table = page.getByRole("table", { name: "E-mails" });
  if (await table.isVisible()) {
    const first = table.getByRole("row").nth(1).getByRole("link").first();
    const subject = (await first.textContent())!.trim();
    await first.click();
    await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  } else {
    await expect(page.getByText("No e-mails")).toBeVisible();
  }
});
