import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { createTranslator } from "next-intl";
import type { Messages } from "../lib/i18n/catalogues";

// The German journeys read what they expect from the German catalogue, so a wording
// changed in the catalogue is followed here; the English words of the other specs are
// written out, as a user reads them. The catalogues are read as files: Playwright loads
// specs as ES modules, which would need an import attribute on every JSON import.
function translator(locale: "de" | "en") {
  const dir = path.join(import.meta.dirname, "../lib/i18n/messages", locale);
  const messages = Object.fromEntries(readdirSync(dir).map((file) => [file.replace(/\.json$/, ""), JSON.parse(readFileSync(path.join(dir, file), "utf8"))])) as Messages;
  return createTranslator({ locale, messages });
}
export const de = translator("de");
export const en = translator("en");

/** Chooses the account's language on its own page, as a user would. */
export async function chooseLanguage(page: Page, locale: "de" | "en" | "") {
  await page.goto("/account");
  const german = (await page.locator("html").getAttribute("lang")) === "de";
  const t = german ? de : en;
  await page.getByLabel(t("account.language")).selectOption(locale);
  await page.getByRole("button", { name: t("account.save") }).click();
  await expect(page.getByRole("status")).toBeVisible();
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", locale || "en");
}
