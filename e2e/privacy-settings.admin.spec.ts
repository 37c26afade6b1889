import { expect, test } from "@playwright/test";

// The privacy settings' pseudonymise policy and the setting for mentions in other
// people's messages, chosen in the browser, saved, shown again after a reload — and put
// back to the defaults for the other specs.

test("the administrator pseudonymises e-mail addresses and redacts mentions in others' messages, then restores the defaults", async ({ page }) => {
  await page.goto("/settings");
  const policies = page.getByRole("table", { name: "Field policies" });
  const email = policies.getByLabel("E-mail", { exact: true });
  await expect(email.getByRole("option")).toHaveText(["blank (remove)", "pseudonymise (pseu_…)"]);
  await expect(policies.getByLabel("Date of birth", { exact: true }).getByRole("option", { name: /pseudonymise/ })).toHaveCount(0);
  const mentions = page.getByRole("group", { name: "Mentions in other people's messages" });
  await expect(mentions.getByRole("radio", { name: "Blank the whole message" })).toBeChecked();

  await email.selectOption("pseudonymise");
  await mentions.getByRole("radio", { name: "Replace only the identifier with [redacted]" }).check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("table", { name: "Field policies" }).getByLabel("E-mail", { exact: true })).toHaveValue("pseudonymise");
  await expect(page.getByRole("group", { name: "Mentions in other people's messages" }).getByRole("radio", { name: "Replace only the identifier with [redacted]" })).toBeChecked();

  await page.getByRole("table", { name: "Field policies" }).getByLabel("E-mail", { exact: true }).selectOption("blank");
  await page.getByRole("group", { name: "Mentions in other people's messages" }).getByRole("radio", { name: "Blank the whole message" }).check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("table", { name: "Field policies" }).getByLabel("E-mail", { exact: true })).toHaveValue("blank");
  await expect(page.getByRole("group", { name: "Mentions in other people's messages" }).getByRole("radio", { name: "Blank the whole message" })).toBeChecked();
});
