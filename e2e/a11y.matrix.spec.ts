import { expect, test } from "@playwright/test";
import { audit } from "./audit";
import { loadMarkers, mayOpen, PAGE_NAMES, type PageName, pagesOf, ROLES } from "./pages";

// Every page, opened in the browser by every role that may open it: no critical or serious
// WCAG 2.1 AA violation, and nothing refused by the Content Security Policy (the console
// reports each refused script, style element or style attribute).

// Pages looked at by eye after a change to their layout: saved under test-results/screens.
const SCREENSHOTS: Partial<Record<PageName, (typeof ROLES)[number]>> = {
  "person profile": "admin", "review list": "superuser", outbox: "admin", "anonymisation task": "admin", "task monitor": "admin",
};

for (const name of PAGE_NAMES) {
  test(`${name}: accessible and within the CSP for every role that may open it`, async ({ browser, baseURL }) => {
    const pageCase = pagesOf(loadMarkers())[name];
    const roles = ROLES.filter((role) => mayOpen(pageCase, role));
    expect(roles.length, "some role may open the page").toBeGreaterThan(0);
    // One audit per role: a long page (the API documentation) takes axe several seconds each.
    test.setTimeout(30_000 + roles.length * 20_000);
    const problems: string[] = [];
    for (const role of roles) {
      const context = await browser.newContext({ baseURL, storageState: `e2e/.auth/${role}.json` });
      const page = await context.newPage();
      try {
        const { violations, refused } = await audit(page, pageCase.path);
        problems.push(...violations.map((v) => `${role}: ${v}`), ...refused.map((r) => `${role}: CSP: ${r}`));
        if (SCREENSHOTS[name] === role) {
          await page.screenshot({ path: `test-results/screens/${name.replace(/\W+/g, "-")}-${role}.png`, fullPage: true });
        }
      } finally {
        await context.close();
      }
    }
    expect(problems, `${pageCase.path}`).toEqual([]);
  });
}
