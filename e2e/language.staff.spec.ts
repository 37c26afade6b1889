import { expect, test } from "@playwright/test";
import { chooseLanguage, de } from "./language";

// A staff member who works in German prevents an anonymisation and lifts it again
// (the English journey is prevent.staff.spec.ts). The account goes back to English after,
// because the other staff specs read the English interface.

test.afterEach(async ({ page }) => {
  await chooseLanguage(page, "en");
});

test("in German, staff prevents an anonymisation and lifts it", async ({ page }) => {
  await chooseLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1, name: de("account.title") })).toBeVisible();
  await page.screenshot({ path: "test-results/german/account.png", fullPage: true });

  await page.goto("/people?sort=name&dir=desc&pageSize=50");
  const links = await page.getByRole("table", { name: de("people.table.label") }).getByRole("link").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  let url: string | null = null;
  for (const href of links.slice(10)) {
    await page.goto(href);
    if (await page.getByText(de("profile.eligibility.eligible"), { exact: true }).isVisible()) { url = href; break; }
  }
  expect(url, "an eligible profile among the people list's last names").not.toBeNull();

  await page.getByRole("button", { name: de("profile.prevention.prevent") }).click();
  await page.getByLabel(de("profile.prevention.reason")).fill("Laufender Versicherungsfall");
  await page.getByLabel(de("profile.prevention.expiresOn")).fill("2099-12-31");
  await page.getByRole("button", { name: de("profile.prevention.prevent") }).click();
  await expect(page.getByRole("paragraph").filter({ hasText: new RegExp(`^${de("profile.prevention.prevented")}$`) })).toBeVisible();
  await expect(page.getByText(/Laufender Versicherungsfall — gesetzt von staff@lethe\.test am .*, bis einschließlich 31\.12\.2099\./)).toBeVisible();
  await page.screenshot({ path: "test-results/german/person-prevented.png", fullPage: true });

  // Lifting asks for a reason, in German too.
  await page.getByRole("button", { name: de("profile.prevention.lift") }).click();
  await page.getByLabel(de("profile.prevention.liftReason")).fill("Versicherungsfall abgeschlossen");
  await page.getByRole("button", { name: de("profile.prevention.liftConfirm") }).click();
  await expect(page.getByText(de("profile.eligibility.eligible"), { exact: true })).toBeVisible();
});
