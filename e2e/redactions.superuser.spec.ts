import { expect, test } from "@playwright/test";
import { runCron } from "./helpers";
import { loadMarkers } from "./pages";

// A superuser anonymises a person whom another customer's messages name; the worker
// finds both mentions and puts them under review; the superuser redacts one from the
// keyboard and keeps the other.
test("the superuser anonymises a person named in another customer's ticket and reviews the mentions", async ({ page, request }) => {
  const { mentioned } = loadMarkers();
  await page.goto(`/people/${mentioned.id}`);
  await expect(page.getByText("Eligible for anonymisation")).toBeVisible();
  await page.getByRole("button", { name: "Anonymise", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`Anonymise ${mentioned.name}`) });
  await dialog.getByRole("button", { name: `Anonymise ${mentioned.name}` }).click();
  await page.getByRole("link", { name: /Open task #\d+/ }).click();
  await expect(page).toHaveURL(/\/privacy\/tasks\/\d+$/);
  const taskId = Number(/\/privacy\/tasks\/(\d+)/.exec(page.url())?.[1]);
  await runCron(request);
  await page.reload();
  await expect(page.getByRole("main").getByText("completed", { exact: true })).toBeVisible();
  await expect(page.getByText("0 identifiers left · 2 name mentions awaiting review")).toBeVisible();
  await page.getByRole("link", { name: "Review them" }).click();
  await expect(page).toHaveURL(new RegExp(`/privacy/redactions\\?task=${taskId}$`));
  await expect(page.getByText(/press r to redact the name, b to blank/)).toBeVisible();

  const list = page.getByRole("list", { name: "Name mentions awaiting review" });
  const items = list.getByRole("article");
  await expect(items).toHaveCount(2);
  await expect(list.locator("mark")).toHaveText(["Edwina Zuckmayer", "Zuckmayer, Edwina"]);
  await expect(items.first().getByRole("link", { name: "Open the record" })).toHaveAttribute("href", `/tickets/${mentioned.ticketId}`);
  await expect(items.first().getByRole("link", { name: `Found after task #${taskId}` })).toBeVisible();
  await page.screenshot({ path: "test-results/redactions/redactions.png", fullPage: true });

  // r on the focused item redacts it.
  await items.first().focus();
  await page.keyboard.press("r");
  await expect(items).toHaveCount(1);
  await expect(list.locator("mark")).toHaveText(["Zuckmayer, Edwina"]);
  // The other is kept: the choir leader is someone else.
  await items.first().getByRole("button", { name: /^Keep mention \d+/ }).click();
  await expect(page.getByText("No name mentions await review.")).toBeVisible();

  // The ticket keeps the rest of the message word for word.
  await page.goto(`/tickets/${mentioned.ticketId}`);
  await expect(page.getByText(mentioned.redact.replace("Edwina Zuckmayer", "[redacted]"))).toBeVisible();
  await expect(page.getByText(mentioned.keep)).toBeVisible();
  await page.goto(`/privacy/tasks/${taskId}`);
  await expect(page.getByText("0 identifiers left · no name mentions awaiting review")).toBeVisible();
});
