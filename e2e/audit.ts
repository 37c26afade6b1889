import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

// One page's accessibility audit, shared by the page matrix and the German pages check.

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/** Opens the page, then returns its axe violations (critical and serious) and CSP refusals. */
export async function audit(page: Page, path: string) {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) refused.push(message.text());
  });
  const response = await page.goto(path);
  expect(response?.status(), `${path}: status`).toBe(200);
  await page.waitForLoadState("load");
  // A stored e-mail is shown in a frame sandboxed without scripts: it is the e-mail, not a
  // page of Lethe, and axe cannot run inside it (it would wait for the frame until timeout).
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).exclude('iframe[sandbox=""]').analyze();
  const violations = result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  return { violations, refused };
}

