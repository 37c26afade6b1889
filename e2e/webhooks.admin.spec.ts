import { createHmac, timingSafeEqual } from "node:crypto";
import { expect, test } from "@playwright/test";
import { type Receiver, startReceiver } from "../test/webhook-receiver";

// Settings → Webhooks as the administrator: an endpoint pointing at a receiver this spec
// starts on 127.0.0.1 (the e2e server runs with WEBHOOKS_ALLOW_PRIVATE_URLS=true), its
// secret shown once, a test event that arrives correctly signed, the delivery's status on
// the page, and the endpoint deleted through its confirmation.

let receiver: Receiver;
test.beforeAll(async () => {
  receiver = await startReceiver("/hooks/e2e");
});
test.afterAll(() => receiver.close());

function signatureIsValid(header: string, body: string, secret: string) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=") as [string, string]));
  const expected = createHmac("sha256", secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected) && Math.abs(Number(parts.t) - Date.now() / 1000) < 300;
}

test("the administrator adds an endpoint, copies its secret once, sends a test event that arrives signed, and deletes the endpoint", async ({ page }) => {
  await page.goto("/settings/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  const url = page.getByRole("textbox", { name: "Endpoint URL" });

  // A URL with credentials is refused on its field, and nothing is added.
  await url.fill("https://user:secret@hooks.example.org/lethe");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText("must not contain a user name or password")).toBeVisible();
  await expect(url).toHaveAttribute("aria-invalid", "true");

  await url.fill(receiver.url);
  await page.getByRole("textbox", { name: "Description (optional)" }).fill("End-to-end receiver");
  await page.getByRole("checkbox", { name: /Request due within 7 days/ }).uncheck();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Endpoint added. Copy its signing secret now: it will not be shown again." })).toBeVisible();
  const secret = await page.getByRole("textbox", { name: `Signing secret of ${receiver.url}` }).inputValue();
  expect(secret).toMatch(/^whsec_[\w-]{43}$/);
  const endpoint = page.getByRole("listitem").filter({ hasText: receiver.url });
  await expect(endpoint).toContainText("Privacy task completed, Privacy task failed, Request overdue");
  await expect(endpoint).toContainText("none yet");
  await page.screenshot({ path: test.info().outputPath("webhooks-added.png"), fullPage: true });

  // Never shown again.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Endpoints" })).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  await expect(endpoint).toContainText(`Secret starts with ${secret.slice(0, 10)}…`);

  await endpoint.getByRole("button", { name: `Send test event to ${receiver.url}` }).click();
  await expect(endpoint.getByRole("status").filter({ hasText: /^Test event delivered: the endpoint answered 200 in \d+ ms\.$/ })).toBeVisible();
  expect(receiver.received).toHaveLength(1);
  const [request] = receiver.received;
  expect(request.headers["content-type"]).toBe("application/json");
  expect(signatureIsValid(String(request.headers["lethe-signature"]), request.body, secret)).toBe(true);
  const body = JSON.parse(request.body);
  expect(body).toMatchObject({ type: "ping", id: request.headers["lethe-event-id"], data: { url: expect.stringMatching(/\/settings\/webhooks$/) } });

  // The page shows the delivery: on the endpoint and in the recent deliveries.
  await expect(endpoint).toContainText("Delivered");
  await expect(endpoint).toContainText("HTTP 200");
  const deliveries = page.getByRole("table", { name: "Recent webhook deliveries, newest first" });
  const row = deliveries.getByRole("row").filter({ hasText: body.id });
  await expect(row).toContainText("Test event");
  await expect(row).toContainText("Delivered");
  await expect(row).toContainText("1 of 1");
  await expect(row).toContainText("HTTP 200");
  await page.screenshot({ path: test.info().outputPath("webhooks-delivered.png"), fullPage: true });

  await endpoint.getByRole("button", { name: `Delete ${receiver.url}` }).click();
  const dialog = page.getByRole("dialog", { name: `Delete the endpoint ${receiver.url}?` });
  await expect(dialog).toContainText("Its deliveries, queued and past, are deleted with it.");
  await dialog.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("listitem").filter({ hasText: receiver.url })).toHaveCount(0);
  await expect(deliveries.getByRole("row").filter({ hasText: body.id })).toHaveCount(0);
});
