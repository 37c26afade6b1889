import { expect, test } from "@playwright/test";
import { audit } from "./audit";
import { runCron } from "./helpers";
import { chooseLanguage, de } from "./language";
import { loadMarkers, mayOpen, PAGE_NAMES, pagesOf } from "./pages";

// The administrator works in German: every page is read in German (no serious axe
// violation, no page wider than the window because of a long German word, a screenshot
// of each under test-results/german to look at), and a person is deleted by typing the
// word DELETE, which is the same in every language. Back to English after, for the
// other admin specs.

test.describe.configure({ mode: "serial" });

test.beforeEach(async ({ page }) => {
  await chooseLanguage(page, "de");
});

test.afterEach(async ({ page }) => {
  await chooseLanguage(page, "en");
});

test("every page in German: accessible, within the window, nothing left in English in the navigation", async ({ page }) => {
  // An axe audit and a full-page screenshot of each of some thirty pages.
  test.setTimeout(180_000);
  const pages = pagesOf(loadMarkers());
  const problems: string[] = [];
  for (const name of PAGE_NAMES) {
    const pageCase = pages[name];
    if (!mayOpen(pageCase, "admin")) continue;
    const { violations, refused } = await audit(page, pageCase.path);
    problems.push(...violations.map((v) => `${name}: ${v}`), ...refused.map((r) => `${name}: CSP: ${r}`));
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(page.getByRole("navigation", { name: de("common.mainNavigation") }).getByRole("link", { name: de("common.nav.overview") })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1 && name !== "ticket print view") problems.push(`${name}: ${overflow}px wider than the window`);
    await page.screenshot({ path: `test-results/german/${name.replace(/\W+/g, "-")}.png`, fullPage: true });
  }
  expect(problems).toEqual([]);
});

test("in German, the administrator deletes a person, typing DELETE", async ({ page, request }) => {
  await page.goto("/people?sort=name&dir=desc&kind=customer");
  await page.getByRole("table", { name: de("people.table.label") }).getByRole("row").nth(5).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  await page.getByRole("button", { name: de("deletion.deletePerson", { name }) }).click();

  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("region", { name: de("deletion.preview.title") })).toBeVisible();
  await page.screenshot({ path: "test-results/german/deletion-dialog.png", fullPage: true });
  const override = dialog.getByLabel(de("deletion.overrideLabel"));
  if (await override.isVisible()) await override.fill("Vertrag beendet; Forderung ausgebucht");
  const confirm = dialog.getByLabel("Zum Bestätigen DELETE eingeben");
  await confirm.fill("LÖSCHEN");
  await expect(dialog.getByRole("button", { name: de("deletion.delete"), exact: true })).toBeDisabled();
  await confirm.fill("DELETE");
  await dialog.getByRole("button", { name: de("deletion.delete"), exact: true }).click();
  const link = dialog.getByRole("link", { name: /#\d+/ });
  await expect(link).toBeVisible();
  const taskId = Number((await link.textContent())!.match(/#(\d+)/)![1]);

  await runCron(request);
  await page.goto(`/privacy/tasks/${taskId}`);
  await expect(page.getByRole("main").getByText(de("tasks.status.completed"), { exact: true })).toBeVisible();
  await expect(page.getByText(de("tasks.noResidue"))).toBeVisible();
  await page.screenshot({ path: "test-results/german/deletion-task-completed.png", fullPage: true });
  await page.goto(`/people?query=${encodeURIComponent(name)}`);
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});
