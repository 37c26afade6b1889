import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";

// The register of processing and the access export's preview, as the administrator
// (who holds admin.settings and people.export) uses them.

test("the administrator edits an entry of the register; an empty field is refused, naming it", async ({ page }) => {
  await page.goto("/privacy/register");
  await expect(page.getByRole("heading", { name: "Register of processing" })).toBeVisible();
  const table = page.getByRole("table", { name: "Entries of the register" });
  await expect(table.getByRole("row")).toHaveCount(9);
  await page.screenshot({ path: test.info().outputPath("register.png"), fullPage: true });

  await page.getByText("Edit Loans and hires").click();
  const purposes = page.getByRole("textbox", { name: "Purposes" }).and(page.locator("#register-loans-purposes"));
  await purposes.fill("   ");
  await page.getByRole("button", { name: "Save Loans and hires" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Purposes is required" })).toBeVisible();
  await purposes.fill("Lending instruments and sheet music to pupils, and getting them back.");
  await page.getByRole("button", { name: "Save Loans and hires" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(table.getByRole("row", { name: /Loans and hires/ })).toContainText("Lending instruments and sheet music to pupils");
});

test("the administrator checks an access export, withholds a ticket with a reason, and downloads the rest", async ({ page }) => {
  await page.goto("/people/9");
  await page.getByRole("link", { name: "Check and export" }).click();
  await expect(page.getByRole("heading", { name: "Export: check before sending" })).toBeVisible();
  const tickets = page.locator("details").filter({ has: page.locator("summary", { hasText: /^Tickets \(\d+\)$/ }) });
  const first = tickets.getByRole("checkbox").first();
  const label = (await first.getAttribute("aria-label"))!;
  const number = /item (\d+)$/.exec(label)![1];
  const cells = tickets.getByRole("row").nth(1).getByRole("cell");
  const row = `<td>${(await cells.nth(1).textContent())!.trim()}</td><td>${(await cells.nth(2).textContent())!.trim()}</td>`;
  await first.check();
  await page.getByRole("button", { name: "Download the export" }).click();
  await expect(page.getByRole("alert").filter({ hasText: `Reason for withholding Tickets item ${number} is required` })).toBeVisible();
  await page.getByRole("textbox", { name: `Reason for withholding Tickets item ${number}` }).fill("Reveals another pupil's request");
  await page.screenshot({ path: test.info().outputPath("export-preview.png"), fullPage: true });
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the export" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("person-9.zip");
  const files = unzipSync(readFileSync(await download.path()));
  const json = JSON.parse(strFromU8(files["person.json"]));
  expect(json.withheld).toEqual([{ section: "tickets", count: 1 }]);
  expect(strFromU8(files["index.html"])).not.toContain(row);
  await expect(page.getByRole("status").filter({ hasText: "Downloaded; 1 item withheld." })).toBeVisible();
  // What the person reads: the index, opened as a page of its own.
  const index = await page.context().newPage();
  await index.setContent(strFromU8(files["index.html"]));
  await expect(index.getByRole("heading", { name: "Purposes, legal basis and retention" })).toBeVisible();
  await index.screenshot({ path: test.info().outputPath("export-index.png"), fullPage: true });
  await index.close();
});
