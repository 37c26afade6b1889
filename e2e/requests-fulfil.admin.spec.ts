import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { unzipSync } from "fflate";
import { audit } from "./audit";
import { runCron } from "./helpers";

// The DPO answers data-subject requests from the request page: an access request's export
// reaches the requester as a download link in the reply e-mail (read here from the
// outbox), and the link returns the zip; an erasure request creates the deletion task,
// which the worker completes, and the request is fulfilled.

/** Registers a request about the person named `who` (found by the search), identity confirmed; returns its id. */
async function registerRequest(page: Page, { type, who, requesterEmail }: { type: string; who: string; requesterEmail: string }) {
  await page.goto("/requests/new");
  await page.getByLabel("Type").selectOption({ label: type });
  await page.getByLabel("Find the person").fill(who);
  await page.getByRole("button", { name: "Find", exact: true }).click();
  await page.getByRole("button", { name: `Choose ${who}` }).first().click();
  await page.getByLabel("The requester's identity is confirmed").check();
  await page.getByLabel("Requester's e-mail address").fill(requesterEmail);
  await page.getByRole("button", { name: "Register the request" }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  return Number(/\/requests\/(\d+)$/.exec(page.url())![1]);
}

/** A customer's name from the people list, far from the rows other specs delete. */
async function customerName(page: Page, row: number) {
  await page.goto("/people?sort=name&dir=asc&kind=customer");
  // The demo's anonymised people have no last name and sort first: a person with a name.
  return (await page.getByRole("table", { name: "People" }).getByRole("row").filter({ hasNotText: "Anonymized" }).nth(row).getByRole("link").first().textContent())!.trim();
}

/** The plain text of the newest e-mail to `address`, from the outbox. */
async function mailTo(page: Page, address: string) {
  await page.goto("/settings/outbox");
  const row = page.getByRole("table", { name: "E-mails" }).getByRole("row").filter({ hasText: address }).first();
  await row.getByRole("link").first().click();
  return page.locator("pre").innerText();
}

test("the DPO fulfils an access request, and the link in the reply e-mail returns the zip", async ({ page, request }) => {
  const address = `access.${randomBytes(4).toString("hex")}@example.net`;
  const who = await customerName(page, 5);
  const id = await registerRequest(page, { type: "Access", who, requesterEmail: address });

  const panel = page.getByRole("region", { name: "Answer the request" });
  await expect(panel.getByText(`Lethe builds the export of ${who}`)).toBeVisible();
  // The address given is not the customer's own: the DPO is told before the data goes there.
  await expect(panel.getByRole("status").filter({ hasText: `The link will go to ${address}, the address the requester gave` })).toBeVisible();
  const { violations, refused } = await audit(page, `/requests/${id}`);
  expect([...violations, ...refused]).toEqual([]);
  await page.screenshot({ path: "test-results/screens/request-fulfil-access.png", fullPage: true });

  await panel.getByLabel("Reply to the requester").fill("Please find your data behind the link.");
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toBe(`Build the export of ${who} and e-mail the download link to the requester? The request is then fulfilled.`);
    void dialog.accept();
  });
  await panel.getByRole("button", { name: "Build export and send link" }).click();
  await expect(panel.getByText("This request was fulfilled.")).toBeVisible();
  await expect(panel.getByText("Not downloaded yet")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/request-fulfilled-access.png", fullPage: true });

  const text = await mailTo(page, address);
  expect(text).toContain("Please find your data behind the link.");
  const link = /https?:\/\/[^\s]+\/request\/download\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];
  expect(link, text).toBeTruthy();
  const response = await request.get(new URL(link!).pathname);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toBe(`attachment; filename="request-${id}.zip"`);
  expect(response.headers()["cache-control"]).toBe("no-store");
  const files = unzipSync(new Uint8Array(await response.body()));
  expect(Object.keys(files).sort()).toEqual(["index.html", "person.json", "person.xlsx"]);

  await page.goto(`/requests/${id}`);
  await expect(page.getByRole("region", { name: "Answer the request" }).getByText(/Downloaded once/)).toBeVisible();
  // A link that does not exist says so, and nothing else.
  const unknown = await request.get(`/request/download/${"A".repeat(43)}`);
  expect(unknown.status()).toBe(404);
  expect(await unknown.text()).toBe("This download link does not exist or no longer works.");
});

test("an erasure request creates the deletion task, which completes and fulfils the request", async ({ page, request }) => {
  const address = `erasure.${randomBytes(4).toString("hex")}@example.net`;
  const who = await customerName(page, 7);
  const id = await registerRequest(page, { type: "Erasure", who, requesterEmail: address });
  const panel = page.getByRole("region", { name: "Answer the request" });
  await expect(panel.getByText("No task has been created from this request yet.")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/request-fulfil-erasure.png", fullPage: true });

  await panel.getByRole("button", { name: `Delete ${who}…` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("region", { name: "What will be removed" })).toBeVisible();
  await expect(dialog.getByLabel(/Reference/)).toHaveValue(`Request #${id}`);
  const override = dialog.getByLabel("Reason to override the open obligations");
  if (await override.isVisible()) await override.fill("Erasure request; debt written off");
  await dialog.getByLabel("Type DELETE to confirm").fill("DELETE");
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dialog.getByText(/Task #\d+ is queued/)).toBeVisible();
  await page.keyboard.press("Escape");
  // The button that opened the dialog is gone: focus goes to the new task's link.
  await expect(panel.getByRole("link", { name: /Deletion task #\d+/ })).toBeFocused();

  await runCron(request);
  await page.reload();
  await expect(panel.getByText("This request was fulfilled.")).toBeVisible();
  await expect(panel.getByText("no residue")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/request-fulfilled-erasure.png", fullPage: true });
  const text = await mailTo(page, address);
  expect(text).toContain(`We have answered your request for erasure (#${id})`);
});
