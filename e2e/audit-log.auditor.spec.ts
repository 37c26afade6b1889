import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import type { Markers } from "./plant";

// Written by e2e/plant.ts when the server starts: read in the test.
const loadMarkers = () => JSON.parse(readFileSync(path.join(import.meta.dirname, ".markers.json"), "utf8")) as Markers;

// The auditor reads the audit log: filters it, exports what the filter shows, and has the
// hash chain verified.

test("the auditor filters the audit log, exports it as CSV and verifies the chain", async ({ page }) => {
  const markers = loadMarkers();
  await page.goto("/privacy/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Audit entries" })).toBeVisible();

  // Filter by action: the marker entry of the planted rule, with its reason and a link to the rule.
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Retention rule changed" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=retention_rule\.updated/);
  const row = page.getByRole("row").filter({ hasText: markers.auditReason });
  await expect(row).toBeVisible();
  await expect(row.getByRole("link", { name: `Retention rule #${markers.rule.id}` })).toHaveAttribute("href", `/privacy/rules/${markers.rule.id}`);
  await expect(row).toContainText("admin@lethe.test");
  await expect(page.getByRole("table", { name: "Audit entries" }).getByRole("row")).not.toHaveCount(1);
  for (const action of await page.getByRole("table", { name: "Audit entries" }).locator("tbody code").allTextContents()) {
    expect(action).toBe("retention_rule.updated");
  }

  // A period whose end lies before its start is refused in words, naming the field.
  await page.getByLabel("From").fill("2026-12-01");
  await page.getByLabel("To", { exact: true }).fill("2026-01-01");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Some filters were left out" })).toContainText("to: must be on or after the start of the period (from)");
  await page.getByLabel("From").fill("");
  await page.getByLabel("To", { exact: true }).fill("");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(row).toBeVisible();

  // The export holds what the filter shows.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export as CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("audit-log.csv");
  const csv = readFileSync((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("Entry,Time,Actor,Action,Action name,Object,Object id,Label,Reason or reference,Outcome,Details,Previous hash,Hash");
  expect(lines.some((l) => l.includes(markers.auditReason) && l.includes(",Retention rule changed,retention_rule.updated,Retention rule,"))).toBe(true);
  expect(lines.slice(1).every((l) => l.includes(",retention_rule.updated,"))).toBe(true);

  // The export is itself in the log.
  await page.goto("/privacy/audit?action=audit.exported");
  await expect(page.getByRole("row").filter({ hasText: "auditor@lethe.test" }).first()).toContainText("Audit log exported");

  await page.getByRole("button", { name: "Verify the chain" }).click();
  await expect(page.getByRole("status")).toContainText(/The chain is intact: [\d,]+ entries verified\./, { timeout: 30_000 });
  await page.screenshot({ path: "test-results/audit/audit-log.png", fullPage: true });
});
