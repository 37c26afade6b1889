import { randomBytes } from "node:crypto";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO_BLOCKED_PERSON } from "../db/seed/demo-people";
import { audit } from "./audit";
import { DEMO_PASSWORD } from "./helpers";

// A data subject files a request on the public form without signing in, reads the
// confirmation link from the e-mail (here: from the outbox, as an administrator), confirms
// it, and the DPO finds it in the queue with about a month left. The form answers an
// address on file exactly as it answers one that is not.

async function signedInAdmin(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@lethe.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
  return page;
}

async function fileRequest(page: Page, values: { email: string; name: string; text: string }) {
  await page.goto("/request");
  await page.getByLabel("Your e-mail address").fill(values.email);
  await page.getByRole("radio", { name: /^Access/ }).check();
  await page.getByLabel("Your name (optional)").fill(values.name);
  await page.getByLabel("Details (optional)").fill(values.text);
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  return page.locator("main").innerHTML();
}

test("a data subject files a request, confirms it through the e-mailed link, and the DPO sees it with about a month left", async ({ page, browser, baseURL }) => {
  const tag = randomBytes(4).toString("hex");
  const address = `ronja.${tag}@example.net`;
  const name = `Ronja Feld ${tag}`;

  const form = await audit(page, "/request");
  expect([...form.violations, ...form.refused]).toEqual([]);
  // Nothing of a session or of the records: no navigation, no sign-out.
  await expect(page.getByRole("navigation")).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/request-form.png", fullPage: true });

  // Refused fields are named, and what was typed stays.
  await page.getByLabel("Your e-mail address").fill("not-an-address");
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByText("Enter a valid e-mail address.")).toBeVisible();
  await expect(page.getByText("Choose what you ask for.")).toBeVisible();
  await expect(page.getByLabel("Your e-mail address")).toHaveValue("not-an-address");
  await expect(page.getByLabel("Your e-mail address")).toHaveAttribute("aria-invalid", "true");

  const unknownBody = await fileRequest(page, { email: address, name, text: "Which of my data do you hold?" });
  await page.screenshot({ path: "test-results/screens/request-form-sent.png", fullPage: true });
  const knownBody = await fileRequest(page, { email: DEMO_BLOCKED_PERSON.email, name, text: "Which of my data do you hold?" });
  expect(knownBody).toBe(unknownBody);

  // The link, read from the outbox.
  const admin = await signedInAdmin(browser, baseURL);
  await admin.goto("/settings/outbox");
  const row = admin.getByRole("table", { name: "E-mails" }).getByRole("row").filter({ hasText: address });
  await expect(row).toHaveCount(1);
  await row.getByRole("link").first().click();
  const text = await admin.locator("pre").innerText();
  const link = /https?:\/\/[^\s]+\/request\/confirm\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];
  expect(link, text).toBeTruthy();
  const path = new URL(link!).pathname;

  // Opening it only asks; the button confirms.
  const confirm = await audit(page, path);
  expect([...confirm.violations, ...confirm.refused]).toEqual([]);
  await expect(page.getByRole("heading", { name: "Confirm your request" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/request-confirm.png", fullPage: true });
  await page.reload();
  await page.getByRole("button", { name: "Confirm my request" }).click();
  await expect(page.getByRole("heading", { name: "Your request has been received" })).toBeVisible();
  await page.goto(path);
  await expect(page.getByRole("heading", { name: "This link has already been used" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Confirm my request" })).toHaveCount(0);

  // The DPO's queue: the request, awaiting identity, with about a month left.
  await admin.goto("/requests");
  const queued = admin.getByRole("row").filter({ hasText: name });
  await expect(queued).toHaveCount(1);
  await expect(queued).toContainText("Access");
  const days = Number(/(\d+) days left/.exec(await queued.innerText())?.[1]);
  expect(days).toBeGreaterThanOrEqual(29);
  expect(days).toBeLessThanOrEqual(31);
  await admin.context().close();
});

test("a link that is not valid says so, and is accessible", async ({ page }) => {
  const result = await audit(page, "/request/confirm/not-a-real-link");
  expect([...result.violations, ...result.refused]).toEqual([]);
  await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Send a new request" })).toHaveAttribute("href", "/request");
  await page.screenshot({ path: "test-results/screens/request-link-invalid.png", fullPage: true });
});

test("a browser that asks for German reads the form and the link's page in German", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, locale: "de-DE" });
  const page = await context.newPage();
  const form = await audit(page, "/request");
  expect([...form.violations, ...form.refused]).toEqual([]);
  await expect(page.getByRole("heading", { name: "Datenschutzanfrage" })).toBeVisible();
  await expect(page.getByRole("radio", { name: /^Auskunft/ })).toBeVisible();
  await page.goto("/request/confirm/kein-echter-link");
  await expect(page.getByRole("heading", { name: "Dieser Link ist ungültig" })).toBeVisible();
  await context.close();
});

test("a post past the server's size limit is answered in the form's words, not with a crash", async ({ page }) => {
  await page.goto("/request");
  await page.getByLabel("Your e-mail address").fill("big@example.net");
  await page.getByRole("radio", { name: /^Access/ }).check();
  // The field allows 5,000 characters; a hostile client sends 2 MB anyway.
  await page.getByLabel("Details (optional)").evaluate((el: HTMLTextAreaElement) => {
    el.removeAttribute("maxlength");
    el.value = "x".repeat(2 * 1024 * 1024);
  });
  // The proxy refuses the body (413) before any page or action reads it.
  const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/request");
  await page.getByRole("button", { name: "Send request" }).click();
  expect((await answer).status()).toBe(413);
  await expect(page.getByText("The request could not be sent. Please try again later.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Send a new request" })).toHaveAttribute("href", "/request");
  await page.screenshot({ path: "test-results/screens/request-form-failed.png", fullPage: true });
});
