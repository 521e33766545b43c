import { expect, test } from "./fixtures";
import { signUp, uniqueEmail, fromPortal } from "./helpers";

test("without Stripe, the owner switches plans directly in development mode, and the limits follow", async ({ page }) => {
  await signUp(page, uniqueEmail("billing"));
  await page.waitForURL("**/keys");
  await expect(page.getByText("Free plan · you are owner")).toBeVisible();

  await page.getByRole("link", { name: "Billing" }).click();
  await expect(page.getByText("Development mode", { exact: true })).toBeVisible();
  // The plan cards say the same as the banner: nothing is billed without Stripe.
  await expect(page.getByText(/Overage allowed/).first()).toBeVisible();
  await expect(page.getByText(/billed/)).toHaveCount(0);
  await expect(page.getByText("Stripe is not configured.")).toBeVisible();
  await page.getByRole("button", { name: "Switch to Pro" }).click();
  await expect(page.getByText("Pro plan · you are owner")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Pro" }).getByText("Current plan")).toBeVisible();

  // The new plan's limits apply at once: Pro allows 5 keys.
  const created = await page.request.post("/api/keys", fromPortal(page, { name: "Pro key", scopes: ["ping"], ip_allowlist: [] }));
  expect(created.status()).toBe(201);
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByText(/^1 of 5 keys/).first()).toBeVisible();
});
