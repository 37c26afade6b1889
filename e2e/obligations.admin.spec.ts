import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { runCron } from "./helpers";
import type { Markers } from "./plant";

// Written by e2e/plant.ts when the server starts: read when the test runs.
const loadMarkers = () => JSON.parse(readFileSync(path.join(import.meta.dirname, ".markers.json"), "utf8")) as Markers;

// An administrator deletes a parent with 11 invoices (planted by e2e/plant.ts, all paid):
// the invoices are kept under §147 AO, which the deletion preview says before and the
// task's receipt after. The seed's obligation: 10 years from the end of the invoice's year.

const KEPT = /11 invoices kept under §147 AO until 2036-12-31 \(the first until 2034-12-31\)/;

test("deleting a parent keeps their 11 invoices under §147 AO: the preview and the receipt say so", async ({ page, request }, testInfo) => {
  const { parent } = loadMarkers();
  await page.goto(`/people/${parent.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(parent.name);
  await page.getByRole("button", { name: `Delete ${parent.name}` }).click();

  const dialog = page.getByRole("dialog");
  const preview = dialog.getByRole("region", { name: "What will be removed" });
  await expect(preview).toBeVisible();
  await expect(preview.getByText("Kept under a legal retention obligation, detached from the person (not deleted):")).toBeVisible();
  await expect(preview.getByText(KEPT)).toBeVisible();
  // None of the invoices is among what is deleted.
  await expect(preview.getByText(/0 invoices/)).toBeVisible();
  await dialog.screenshot({ path: testInfo.outputPath("deletion-dialog-kept.png") });

  await dialog.getByLabel("Type DELETE to confirm").fill("DELETE");
  const reference = dialog.getByLabel(/Reference/);
  if (await reference.count()) await reference.first().fill("Request 2026-117");
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  const link = dialog.getByRole("link", { name: /Open task #\d+/ });
  await expect(link).toBeVisible();
  const taskId = Number((await link.textContent())!.match(/#(\d+)/)![1]);

  await runCron(request);
  await page.goto(`/privacy/tasks/${taskId}`);
  await expect(page.getByRole("main").getByText("completed", { exact: true })).toBeVisible();
  await expect(page.getByText("no residue")).toBeVisible();
  const main = page.getByRole("main");
  await expect(main.getByText(KEPT)).toBeVisible();
  await expect(main.getByText(/Pseudonym of the kept records: K-[0-9A-F]{16}/)).toBeVisible();
  await expect(main.getByText("11 records kept under a legal obligation (not residue)")).toBeVisible();
  await main.screenshot({ path: testInfo.outputPath("task-receipt-kept.png") });

  // The administrators' view of kept records.
  await page.goto("/settings/obligations");
  await expect(page.getByRole("heading", { level: 1, name: "Retention obligations" })).toBeVisible();
  const kept = page.getByRole("table", { name: "Records kept now" });
  await expect(kept.getByRole("row", { name: /Invoices §147 AO/ })).toContainText("kept under a legal obligation until 2036-12-31 (§147 AO)");
  await page.screenshot({ path: testInfo.outputPath("obligations-page.png"), fullPage: true });

  // The person is gone from the people list.
  await page.goto(`/people?query=${encodeURIComponent(parent.name)}`);
  await expect(page.getByRole("link", { name: parent.name, exact: true })).toHaveCount(0);
});

test("an obligation with a period of 0 is refused, naming the field, and nothing changes", async ({ page }) => {
  await page.goto("/settings/obligations");
  const form = page.getByRole("group", { name: "Invoices — §147 AO" });
  await form.getByLabel("Years").fill("0");
  await form.getByLabel("Months").fill("0");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toHaveText("Years: the period must be longer than 0");
  await page.reload();
  await expect(page.getByRole("group", { name: "Invoices — §147 AO" }).getByLabel("Years")).toHaveValue("10");
});
