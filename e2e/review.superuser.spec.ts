import { expect, test } from "@playwright/test";
import { DEMO_BLOCKED_PERSON, DEMO_ELIGIBLE_PERSON } from "../db/seed/demo-people";
import { runCron } from "./helpers";

test("the superuser anonymises one eligible profile and sees the result", async ({ page, request }) => {
  await page.goto(`/people/${DEMO_ELIGIBLE_PERSON.id}`);
  await expect(page.getByText("Eligible for anonymisation")).toBeVisible();
  await page.getByRole("button", { name: "Anonymise", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: /Anonymise Clara Whitfield/ });
  await expect(dialog.getByText("This cannot be undone.")).toBeVisible();
  await dialog.getByRole("button", { name: "Anonymise Clara Whitfield" }).click();
  await expect(page.getByText(/Task #\d+ will anonymise this person/)).toBeVisible();
  await page.getByRole("link", { name: /Open task #\d+/ }).click();
  await expect(page.getByRole("main").getByText("queued", { exact: true })).toBeVisible();
  await runCron(request);
  await page.reload();
  await expect(page.getByRole("main").getByText("completed", { exact: true })).toBeVisible();
  await expect(page.getByText("no residue")).toBeVisible();
  await expect(page.getByText("C***a W*******d")).toBeVisible();

  await page.goto(`/people/${DEMO_ELIGIBLE_PERSON.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Anonymized" })).toBeVisible();
  await expect(page.getByText(DEMO_ELIGIBLE_PERSON.email)).toHaveCount(0);
  // Tickets keep number, dates and state.
  await expect(page.getByRole("table", { name: "Tickets" }).getByRole("row")).toHaveCount(DEMO_ELIGIBLE_PERSON.ticketCount + 1);
  // No longer findable by a former datum.
  await page.goto(`/people?query=${DEMO_ELIGIBLE_PERSON.email}`);
  await expect(page.getByText(/No one matches/)).toBeVisible();
  await page.goto(`/people?query=${DEMO_ELIGIBLE_PERSON.ticketIp}`);
  await expect(page.getByText(/No one matches/)).toBeVisible();
});

test("a profile that is not eligible cannot be anonymised and says why", async ({ page }) => {
  await page.goto(`/people/${DEMO_BLOCKED_PERSON.id}`);
  await expect(page.getByText(/Not eligible/)).toBeVisible();
  await expect(page.getByText(/Open loan: Cello #C-042/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Anonymise", exact: true })).toBeDisabled();
});

test("the superuser reviews the list, sees a dry run, and anonimises a bulk selection with progress", async ({ page, request }) => {
  await page.goto("/privacy/review");
  const table = page.getByRole("table", { name: "Profiles to review" });
  await expect(table).toBeVisible();
  const boxes = table.getByRole("checkbox");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole("button", { name: "Anonymise selected…" }).click();
  const dialog = page.getByRole("dialog", { name: /Dry run/ });
  await expect(dialog.getByText(/people will be anonymised/)).toBeVisible();
  await expect(dialog.getByText(/messages are blanked/)).toBeVisible();
  await dialog.getByRole("button", { name: "Anonymise 2 people" }).click();
  await expect(page).toHaveURL(/batch=/);
  await expect(page.getByRole("progressbar", { name: "Bulk anonymisation progress" })).toBeVisible();
  await runCron(request);
  await page.reload();
  await expect(page.getByText("Bulk anonymisation finished")).toBeVisible();
  await expect(page.getByText(/2 of 2 tasks done/)).toBeVisible();
  // The task monitor would refuse a superuser: the banner does not link to it.
  await expect(page.getByRole("link", { name: "See the tasks" })).toHaveCount(0);
  expect((await page.request.get("/privacy", { maxRedirects: 0 })).status()).toBe(403);
});
