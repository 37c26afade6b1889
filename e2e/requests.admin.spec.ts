import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { loadMarkers } from "./pages";

// The data-subject request queue (SPEC §11): the administrator registers an erasure request
// in the browser for a person found by search, is told which field is wrong first, finds the
// request in the queue with the days left, and extends it once with a reason — the dialog
// names the new due date before it is confirmed, and the timeline shows the e-mail.

test("register a request, see it in the queue with its days left, and extend it", async ({ page }, testInfo) => {
  const { person } = loadMarkers();
  const tag = randomBytes(3).toString("hex");
  await page.goto("/requests/new");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Register a request");
  await page.getByLabel("Type", { exact: true }).selectOption({ label: "Erasure" });
  await page.getByLabel("Channel").selectOption({ label: "Letter" });

  // A received time in the future is refused naming the field; nothing is registered.
  const received = page.getByLabel("Received", { exact: true });
  const now = await received.inputValue();
  await received.fill(`${Number(now.slice(0, 4)) + 1}${now.slice(4)}`);
  await page.getByLabel("Requester's e-mail address").fill(`requester-${tag}@example.org`);
  await page.getByRole("button", { name: "Register the request" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Received: must not be in the future" })).toBeVisible();
  await received.fill(now);

  await page.getByLabel("Find the person").fill(person.email);
  await page.getByRole("button", { name: "Find", exact: true }).click();
  await page.getByRole("button", { name: `Choose ${person.name}` }).click();
  await expect(page.getByText(`Person: ${person.name}`)).toBeVisible();
  await page.getByLabel("Notes").fill(`Letter of ${tag}`);
  await page.screenshot({ path: testInfo.outputPath("request-new.png"), fullPage: true });
  await page.getByRole("button", { name: "Register the request" }).click();

  await expect(page).toHaveURL(/\/requests\/\d+$/);
  const id = Number(page.url().match(/(\d+)$/)![1]);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Request #${id}: Erasure`);
  await expect(page.getByText("Open", { exact: true })).toBeVisible();

  // In the queue: due in a month, 28 to 31 days left.
  await page.goto(`/requests?query=%23${id}`);
  const row = page.getByRole("table", { name: "Data-subject requests" }).getByRole("row").filter({ hasText: `Request #${id}` });
  await expect(row).toHaveCount(1);
  await expect(row.getByText(/^(2[89]|3[01]) days left$/)).toBeVisible();
  await expect(row.getByText(person.name)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("request-queue.png"), fullPage: true });

  await row.getByRole("link", { name: `Request #${id}` }).click();
  await page.getByRole("button", { name: "Extend the deadline…" }).click();
  const dialog = page.getByRole("dialog", { name: "Extend the deadline" });
  await dialog.getByLabel("Extend by").selectOption({ label: "2 months" });
  // Without a reason, the dialog says so.
  await dialog.getByRole("button", { name: /^Extend to / }).click();
  await expect(dialog.getByText("Reason: is required")).toBeVisible();
  await dialog.getByLabel("Reason (sent to the requester)").fill("Your records are kept in three archives.");
  const newDue = (await dialog.getByRole("status").textContent())!.match(/New due date: (\d{4}-\d{2}-\d{2})/)![1];
  await dialog.screenshot({ path: testInfo.outputPath("request-extend-dialog.png") });
  await dialog.getByRole("button", { name: `Extend to ${newDue}` }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByText("Extended", { exact: true })).toBeVisible();
  await expect(page.getByText(/^2 months on \d{4}-\d{2}-\d{2}: Your records are kept in three archives\.$/)).toBeVisible();
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline.getByText("Deadline extended")).toBeVisible();
  await expect(timeline.getByText("E-mail to the requester queued")).toBeVisible();
  await expect(page.getByRole("button", { name: "Extend the deadline…" })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("request-page.png"), fullPage: true });

  await page.goto(`/requests?query=%23${id}`);
  await expect(page.getByRole("row").filter({ hasText: `Request #${id}` }).getByText(newDue)).toBeVisible();
});
