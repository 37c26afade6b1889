import { expect, test } from "@playwright/test";
import { DEMO_BLOCKED_PERSON } from "../db/seed/demo-people";

// Search finds a person the way erasure does, and the ticket list searches the messages.

test("find a person by the national form of their number, by 'Last, First', by the external id in lower case and by the e-mail's local part", async ({ page }) => {
  const national = `0${DEMO_BLOCKED_PERSON.phone.replace(/^\+49\s*/, "").replace(/\s/g, "")}`;
  for (const query of [national, `${DEMO_BLOCKED_PERSON.lastName.toUpperCase()}, ${DEMO_BLOCKED_PERSON.firstName}`, DEMO_BLOCKED_PERSON.externalId.toLowerCase(), DEMO_BLOCKED_PERSON.email.split("@")[0]]) {
    await page.goto("/people");
    await page.getByLabel("Search people").fill(query);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/query=/);
    await expect(page.getByRole("table", { name: "People" }).getByRole("link", { name: "Jonas Brandt" }), query).toBeVisible();
  }
});

test("find tickets by an address in their messages and by words of a message", async ({ page }) => {
  await page.goto("/tickets");
  await page.getByLabel("Search tickets").fill(DEMO_BLOCKED_PERSON.email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/query=jonas\.brandt/);
  const table = page.getByRole("table", { name: "Tickets" });
  await expect(table.getByRole("row").nth(1)).toBeVisible();
  await page.goto(`/tickets?query=${encodeURIComponent("xyzzy-no-such-words")}`);
  await expect(page.getByText(/No ticket matches/)).toBeVisible();
});
