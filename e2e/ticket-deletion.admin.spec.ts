import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import type { Markers } from "./plant";

// An administrator deletes tickets (SPEC §12) planted by e2e/plant-tickets.ts: three ticked
// in the list, one from its page; and anonymises one from its page, in the same dialog.
// The dialog names the tickets and messages before it asks; the database is asked
// afterwards through the API, with a token planted for it.

const loadMarkers = () => JSON.parse(readFileSync(path.join(import.meta.dirname, ".markers.json"), "utf8")) as Markers;

/** Whether the database still holds the tickets: the bulk route refuses unknown ids by name and deletes nothing. */
async function expectGone(request: APIRequestContext, token: string, tickets: { id: number }[]) {
  const response = await request.post("/api/v1/tickets/deletions", {
    headers: { Authorization: `Bearer ${token}` }, data: { ticketIds: tickets.map((t) => t.id) },
  });
  expect(response.status()).toBe(404);
  const ids = tickets.map((t) => t.id).sort((a, b) => a - b);
  expect((await response.json()).error).toMatchObject({ code: "not_found", missing: ids });
}

async function expectAccessible(page: Page, dialog: Locator) {
  await expect(dialog).toBeVisible();
  const result = await new AxeBuilder({ page }).include("dialog[open]").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test("tick three tickets in the list, delete them through the dialog: it names 3 tickets and 6 messages, the rows go, the database holds none", async ({ page, request }, testInfo) => {
  const { ticketDeletion: planted } = loadMarkers();
  await page.goto(`/tickets?query=marker+${planted.tag}&sort=number&dir=asc`);
  const table = page.getByRole("table", { name: "Tickets" });
  await expect(table.getByRole("row")).toHaveCount(1 + 5);
  for (const t of planted.bulk) await page.getByRole("checkbox", { name: `Select ticket #${t.number}` }).check();
  await expect(page.getByText("3 tickets selected:")).toBeVisible();

  await page.getByRole("button", { name: "Delete selected tickets" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete tickets" });
  await expect(dialog.getByRole("heading", { name: "Delete 3 tickets and 6 messages" })).toBeVisible();
  await expect(dialog.getByText(planted.bulk.map((t) => `#${t.number}`).join(", "), { exact: true })).toBeVisible();
  // The third is the last ticket of an anonymised person: the dialog says what goes with it.
  await expect(dialog.getByText("The last tickets of an anonymised person")).toBeVisible();
  await expect(dialog.getByText(`#${planted.bulk[2].number}, the last ticket of`)).toBeVisible();
  await expectAccessible(page, dialog);
  await dialog.screenshot({ path: testInfo.outputPath("ticket-dialog-delete.png") });

  await dialog.getByRole("button", { name: "Delete 3 tickets" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "3 tickets and 6 messages deleted." })).toBeVisible();
  for (const t of planted.bulk) await expect(page.getByRole("link", { name: `#${t.number}`, exact: true })).toHaveCount(0);
  await expect(table.getByRole("row")).toHaveCount(1 + 2);
  await page.screenshot({ path: testInfo.outputPath("ticket-list-after-deletion.png"), fullPage: true });
  await expectGone(request, planted.apiToken, planted.bulk);
  const gone = await page.goto(`/tickets/${planted.bulk[0].id}`);
  expect(gone?.status()).toBe(404);

  // The activity stream names them by number.
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Activity" }).getByText(`3 tickets with 6 messages deleted: ${planted.bulk.map((t) => `#${t.number}`).join(", ")}`)).toBeVisible();
});

test("select all on the page, then Escape: the dialog closes, focus is back on its button, nothing is deleted", async ({ page }) => {
  const { ticketDeletion: planted } = loadMarkers();
  await page.goto(`/tickets?query=marker+${planted.tag}&sort=number&dir=asc&pageSize=1000`);
  await page.getByRole("checkbox", { name: "Select all tickets on this page" }).check();
  await expect(page.getByText("2 tickets selected:")).toBeVisible();
  const button = page.getByRole("button", { name: "Delete selected tickets" });
  await button.click();
  const dialog = page.getByRole("dialog", { name: "Delete tickets" });
  await expect(dialog.getByRole("heading", { name: "Delete 2 tickets and 4 messages" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();
  await expect(page.getByRole("table", { name: "Tickets" }).getByRole("row")).toHaveCount(1 + 2);
});

test("delete a ticket from its page: back on the list, which names it; the database no longer holds it", async ({ page, request }, testInfo) => {
  const { ticketDeletion: planted } = loadMarkers();
  const { single } = planted;
  await page.goto(`/tickets/${single.id}`);
  await page.getByRole("button", { name: "Delete ticket" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete ticket" });
  await expect(dialog.getByRole("heading", { name: "Delete 1 ticket and 2 messages" })).toBeVisible();
  await expect(dialog.getByText(`#${single.number}`, { exact: true })).toBeVisible();
  await dialog.getByLabel("Reference (optional)").fill("Request 2026-31");
  await dialog.screenshot({ path: testInfo.outputPath("ticket-dialog-delete-one.png") });
  await dialog.getByRole("button", { name: "Delete 1 ticket" }).click();
  await expect(page).toHaveURL(new RegExp(`/tickets\\?deleted=${single.number}$`));
  await expect(page.getByRole("status").filter({ hasText: `Ticket #${single.number} deleted.` })).toBeVisible();
  await expectGone(request, planted.apiToken, [single]);
});

test("anonymise a ticket from its page in the same dialog", async ({ page }, testInfo) => {
  const { ticketDeletion: planted } = loadMarkers();
  const { anonymise } = planted;
  await page.goto(`/tickets/${anonymise.id}`);
  await page.getByRole("button", { name: "Anonymise ticket" }).click();
  const dialog = page.getByRole("dialog", { name: "Anonymise ticket" });
  await expect(dialog.getByRole("heading", { name: "Anonymise 1 ticket and 2 messages" })).toBeVisible();
  await expectAccessible(page, dialog);
  await dialog.screenshot({ path: testInfo.outputPath("ticket-dialog-anonymise.png") });
  await dialog.getByRole("button", { name: "Anonymise 1 ticket" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Ticket #${anonymise.number} anonymised.` })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`#${anonymise.number} Ticket #${anonymise.number}`);
});

test("a ticket deleted by someone else while its dialog is open: confirming says it no longer exists, offers nothing more to confirm, and Cancel still closes", async ({ page, request }, testInfo) => {
  const { ticketDeletion: planted } = loadMarkers();
  const { meanwhile } = planted;
  await page.goto(`/tickets/${meanwhile.id}`);
  await page.getByRole("button", { name: "Delete ticket" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete ticket" });
  await expect(dialog.getByRole("heading", { name: "Delete 1 ticket and 2 messages" })).toBeVisible();
  // Someone else deletes it through the API meanwhile.
  const elsewhere = await request.delete(`/api/v1/tickets/${meanwhile.id}`, { headers: { Authorization: `Bearer ${planted.apiToken}` } });
  expect(elsewhere.status()).toBe(200);

  await dialog.getByRole("button", { name: "Delete 1 ticket" }).click();
  await expect(dialog.getByRole("alert").filter({ hasText: "no longer exists" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: /^Delete/ })).toBeDisabled();
  await dialog.screenshot({ path: testInfo.outputPath("ticket-dialog-deleted-meanwhile.png") });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Delete ticket" })).toBeFocused();
});

test("a double click on the confirmation deletes once and ends on the list without an error", async ({ page, request }) => {
  const { ticketDeletion: planted } = loadMarkers();
  const { twice } = planted;
  const actions: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.headers()["next-action"]) actions.push(r.url());
  });
  await page.goto(`/tickets/${twice.id}`);
  await page.getByRole("button", { name: "Delete ticket" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete ticket" });
  await expect(dialog.getByRole("heading", { name: "Delete 1 ticket and 1 message" })).toBeVisible();
  const previews = actions.length;
  await dialog.getByRole("button", { name: "Delete 1 ticket" }).dblclick();
  await expect(page).toHaveURL(new RegExp(`/tickets\\?deleted=${twice.number}$`));
  await expect(page.getByRole("status").filter({ hasText: `Ticket #${twice.number} deleted.` })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: /exist|Nothing was deleted/ })).toHaveCount(0);
  // The preview's call, then one deletion.
  expect(actions.length - previews).toBe(1);
  await expectGone(request, planted.apiToken, [twice]);
});

test("with the keyboard only: tick a ticket in the list, open the dialog, reach the confirmation and delete", async ({ page, request }, testInfo) => {
  const { ticketDeletion: planted } = loadMarkers();
  const { keyboard } = planted;
  await page.goto(`/tickets?query=${planted.tag}d+keyboard`);
  await expect(page.getByRole("table", { name: "Tickets" }).getByRole("row")).toHaveCount(1 + 1);
  const box = page.getByRole("checkbox", { name: `Select ticket #${keyboard.number}` });
  const focusBy = async (key: string, target: Locator) => {
    for (let i = 0; i < 60 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press(key);
    await expect(target).toBeFocused();
  };
  await focusBy("Tab", box);
  await page.keyboard.press("Space");
  await expect(box).toBeChecked();
  const button = page.getByRole("button", { name: "Delete selected tickets" });
  await focusBy("Shift+Tab", button);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Delete ticket" });
  await expect(dialog.getByRole("heading", { name: "Delete 1 ticket and 1 message" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  const confirm = dialog.getByRole("button", { name: "Delete 1 ticket" });
  await focusBy("Tab", confirm);
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  // The list is empty now; it still says what was deleted.
  await expect(page.getByRole("status").filter({ hasText: "1 ticket and 1 message deleted." })).toBeVisible();
  await expect(page.getByText(`No ticket matches`)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("ticket-list-emptied.png") });
  await expectGone(request, planted.apiToken, [keyboard]);
});
