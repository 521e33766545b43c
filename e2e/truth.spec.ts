import { expect, test } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail } from "./helpers";

// Issue 13: the dashboard tells the truth.

test("a downgrade asks first, says what changes, keeps each key's limit and shows the cap; the log records it", async ({ page }) => {
  await signUp(page, uniqueEmail("downgrade"));
  await page.waitForURL("**/keys");
  await page.getByRole("link", { name: "Billing" }).click();
  await page.getByRole("button", { name: "Switch to Pro" }).click();
  await expect(page.getByText("Pro plan · you are owner")).toBeVisible();
  const created = await page.request.post("/api/keys", { data: { name: "Fast key", scopes: ["ping"], ip_allowlist: [], rate_limit_per_minute: 60 } });
  expect(created.status()).toBe(201);

  await page.getByRole("button", { name: "Switch to Free" }).click();
  const confirm = page.getByRole("dialog", { name: "Downgrade to Free?" });
  await expect(confirm).toContainText("capped at 10 requests per minute per key");
  await expect(confirm).toContainText("Overage is refused");
  // Cancelling changes nothing.
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("Pro plan · you are owner")).toBeVisible();
  await page.getByRole("button", { name: "Switch to Free" }).click();
  await confirm.getByRole("button", { name: "Downgrade to Free" }).click();
  await expect(page.getByText("Free plan · you are owner")).toBeVisible();

  await page.getByRole("link", { name: "API keys" }).click();
  const row = page.getByRole("table", { name: /^API keys/ }).getByRole("row").filter({ hasText: "Fast key" });
  await expect(row).toContainText("60/min, capped at 10 by the Free plan");

  // Back to Pro: the key's own limit applies again, untouched.
  await page.getByRole("link", { name: "Billing" }).click();
  await page.getByRole("button", { name: "Switch to Pro" }).click();
  await expect(page.getByText("Pro plan · you are owner")).toBeVisible();
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(row).toContainText("60/min");
  await expect(row).not.toContainText("capped");

  await page.getByRole("link", { name: "Audit log" }).click();
  const log = page.getByRole("table", { name: "Audit log, newest first" });
  const plans = log.getByRole("row").filter({ hasText: "Plan changed" });
  // Newest first: Free → Pro (back up), Pro → Free (the downgrade), Free → Pro (the first switch).
  await expect(plans).toHaveText([/from Free to Pro/, /from Pro to Free/, /from Free to Pro/]);
});

test("a spent use cap is Exhausted in the list and 403 usage_exhausted at the API, without Retry-After", async ({ page }) => {
  await signUp(page, uniqueEmail("exhausted"));
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);
  const created = await page.request.post("/api/keys", { data: { name: "Capped key", scopes: ["ping"], ip_allowlist: [], use_cap: 2 } });
  expect(created.status()).toBe(201);
  const { secret } = (await created.json()) as { secret: string };
  const call = () => page.request.get("/api/public/ping", { headers: { "x-api-key": secret } });
  expect((await call()).status()).toBe(200);
  expect((await call()).status()).toBe(200);
  const refused = await call();
  expect(refused.status()).toBe(403);
  expect(refused.headers()["retry-after"]).toBeUndefined();
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("usage_exhausted");
  expect(body.error.message).toContain("owner can raise the cap");

  await page.reload();
  const row = page.getByRole("table", { name: /^API keys/ }).getByRole("row").filter({ hasText: "Capped key" });
  await expect(row).toContainText("Exhausted · 2 of 2 uses");
});
