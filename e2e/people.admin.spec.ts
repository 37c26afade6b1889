import { expect, test } from "@playwright/test";
import { api } from "./api-contract";
import { DEMO_BLOCKED_PERSON, DEMO_ELIGIBLE_PERSON } from "../db/seed/demo-people";

test("search a person by e-mail and open the profile with everything held on them", async ({ page }) => {
  await page.goto("/people");
  await page.getByLabel("Search people").fill(DEMO_ELIGIBLE_PERSON.email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/query=clara\.whitfield/);
  const table = page.getByRole("table", { name: "People" });
  await expect(table.getByRole("row")).toHaveCount(2);
  await table.getByRole("link", { name: "Clara Whitfield" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Clara Whitfield" })).toBeVisible();
  for (const section of ["Fields", "Field history", "Enrolments", "Loans and hires", "Invoices", "Family links"]) {
    await expect(page.getByRole("heading", { name: new RegExp(`^${section}`) })).toBeVisible();
  }
  await expect(page.getByRole("table", { name: "Tickets" }).getByRole("row")).toHaveCount(DEMO_ELIGIBLE_PERSON.ticketCount + 1);
});

test("search a person by an IP address seen on their tickets", async ({ page }) => {
  await page.goto(`/people?query=${DEMO_ELIGIBLE_PERSON.ticketIp}`);
  await expect(page.getByRole("table", { name: "People" }).getByRole("link", { name: "Clara Whitfield" })).toBeVisible();
});

test("search by phone and by external id", async ({ page }) => {
  await page.goto(`/people?query=${encodeURIComponent(DEMO_BLOCKED_PERSON.phone)}`);
  await expect(page.getByRole("link", { name: "Jonas Brandt" })).toBeVisible();
  await page.goto(`/people?query=${DEMO_BLOCKED_PERSON.externalId}`);
  await expect(page.getByRole("link", { name: "Jonas Brandt" })).toBeVisible();
});

test("a search that is too long is refused with the field named", async ({ page }) => {
  await page.goto(`/people?query=${"x".repeat(300)}`);
  await expect(page.getByRole("alert").filter({ hasText: "query" })).toBeVisible();
});

test("open a ticket and read its messages with addresses, direction and IP", async ({ page }) => {
  await page.goto(`/people/${DEMO_ELIGIBLE_PERSON.id}`);
  await page.getByRole("table", { name: "Tickets" }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: /^#\d+/ })).toBeVisible();
  await expect(page.getByText("incoming").first()).toBeVisible();
  await expect(page.getByText("From:").first()).toBeVisible();
});

test("create an API token in the settings and use it", async ({ page, request }) => {
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill("e2e integration");
  await page.getByLabel("Acts as account").selectOption({ label: "agent@lethe.test" });
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("New API token").inputValue();
  expect(token).toMatch(/^lethe_/);
  const found = await api(request).get(`/api/v1/people?query=${DEMO_ELIGIBLE_PERSON.email}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(found.status()).toBe(200);
  const body = await found.json();
  expect(body.data.map((p: { id: number }) => p.id)).toEqual([DEMO_ELIGIBLE_PERSON.id]);
  const bad = await api(request).get("/api/v1/people/abc", { headers: { Authorization: `Bearer ${token}` } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("invalid_input");
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revoke token e2e integration" }).click();
  await expect(page.getByRole("cell", { name: /^revoked/ })).toBeVisible();
  const revoked = await api(request).get("/api/v1/people?query=x", { headers: { Authorization: `Bearer ${token}` } });
  expect(revoked.status()).toBe(401);
});
