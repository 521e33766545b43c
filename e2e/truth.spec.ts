import { expect, test } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail, fromPortal } from "./helpers";

// Issue 13: the dashboard tells the truth.

test("a downgrade asks first, says what changes, keeps each key's limit and shows the cap; the log records it", async ({ page }) => {
  await signUp(page, uniqueEmail("downgrade"));
  await page.waitForURL("**/keys");
  await page.getByRole("link", { name: "Billing" }).click();
  await page.getByRole("button", { name: "Switch to Pro" }).click();
  await expect(page.getByText("Pro plan · you are owner")).toBeVisible();
  const created = await page.request.post("/api/keys", fromPortal(page, { name: "Fast key", scopes: ["ping"], ip_allowlist: [], rate_limit_per_minute: 60 }));
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
  const created = await page.request.post("/api/keys", fromPortal(page, { name: "Capped key", scopes: ["ping"], ip_allowlist: [], use_cap: 2 }));
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

test("the key page shows the key's settings and offers the list's actions with the same dialogs", async ({ page }) => {
  await signUp(page, uniqueEmail("keypage"));
  await page.waitForURL("**/keys");
  await page.getByRole("link", { name: "Billing" }).click();
  await page.getByRole("button", { name: "Switch to Pro" }).click();
  await expect(page.getByText("Pro plan · you are owner")).toBeVisible();
  const expires = new Date(Date.now() + 40 * 86_400_000).toISOString();
  const created = await page.request.post(
    "/api/keys",
    fromPortal(page, { name: "Detail key", scopes: ["ping", "validate"], ip_allowlist: ["127.0.0.1", "::1"], rate_limit_per_minute: 30, use_cap: 10, expires_at: expires }),
  );
  expect(created.status()).toBe(201);
  const { secret, key } = (await created.json()) as { secret: string; key: { id: string } };
  expect((await page.request.get("/api/public/ping", { headers: { "x-api-key": secret } })).status()).toBe(200);

  await page.goto(`/keys/${key.id}`);
  const settings = page.getByTestId("key-settings");
  await expect(settings).toContainText("ping, validate");
  await expect(settings).toContainText("30/min");
  await expect(settings).toContainText("Enforced: 30 requests per minute");
  await expect(settings).toContainText("10 calls · 9 left (1 used)");
  await expect(settings).toContainText("127.0.0.1");
  await expect(settings).toContainText(/Created.* by you/);
  await expect(settings).toContainText(/Last used.*from (127\.0\.0\.1|::1)/);
  await expect(settings.getByText("Stops working")).toBeVisible();

  await page.getByRole("button", { name: "Rename Detail key" }).click();
  const rename = page.getByRole("dialog", { name: "Rename Detail key" });
  await rename.getByLabel("New name").fill("Detail key EU");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(rename).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: "Detail key EU" })).toBeVisible();

  await page.getByRole("button", { name: "Disable Detail key EU" }).click();
  await page.getByRole("dialog", { name: "Disable Detail key EU?" }).getByRole("button", { name: "Disable key" }).click();
  await expect(settings).toContainText("Disabled");
  await page.getByRole("button", { name: "Enable Detail key EU" }).click();
  await expect(settings).toContainText("Active");

  await page.getByRole("button", { name: "Rotate Detail key EU" }).click();
  const rotate = page.getByRole("dialog", { name: /Rotate Detail key EU/ });
  await expect(rotate).toBeVisible();
  await rotate.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("button", { name: "Revoke Detail key EU" }).click();
  await page.getByRole("dialog", { name: "Revoke Detail key EU?" }).getByRole("button", { name: "Revoke key" }).click();
  await expect(settings).toContainText("Revoked");
  await expect(page.getByRole("button", { name: "Rename Detail key EU" })).toHaveCount(0);
});

test("signed out, a deep link comes back after sign-in; the password rule shows once; the secret dialog asks before closing on Esc", async ({ page }) => {
  const email = uniqueEmail("deeplink");
  await signUp(page, email);
  await page.waitForURL("**/keys");
  await page.getByRole("button", { name: "Create your first key" }).click();
  const create = page.getByRole("dialog", { name: "Create an API key" });
  await create.getByRole("textbox", { name: "Name", exact: true }).fill("Esc key");
  await create.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Your new key “Esc key”" });
  await expect(reveal).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(reveal).toBeVisible();
  await expect(reveal.getByRole("alert")).toContainText("Have you copied the key?");
  await expect(reveal.getByRole("button", { name: "Go back to the key" })).toBeFocused();
  await reveal.getByRole("button", { name: "Go back to the key" }).click();
  await expect(reveal.getByRole("alert")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await reveal.getByRole("button", { name: "Close without copying" }).click();
  await expect(reveal).toBeHidden();

  await page.context().clearCookies();
  await page.goto("/usage?days=30");
  await page.waitForURL(/\/sign-in\?next=/);
  expect(new URL(page.url()).searchParams.get("next")).toBe("/usage?days=30");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/usage?days=30");

  await page.context().clearCookies();
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(uniqueEmail("shortpw"));
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByText(/at least 10 characters/i)).toHaveCount(1);
});

test("the keys table, the key page and the usage page show the same admitted figure for a key (issue 13 item 3)", async ({ page }) => {
  await signUp(page, uniqueEmail("counts"));
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);
  const created = await page.request.post("/api/keys", fromPortal(page, { name: "Counted key", scopes: ["ping", "validate"], ip_allowlist: [] }));
  expect(created.status()).toBe(201);
  const { secret, key } = (await created.json()) as { secret: string; key: { id: string } };
  const headers = { "x-api-key": secret };
  // 3 admitted (2 metered validate calls, 1 ping) and 2 refused (audit needs a scope the key lacks).
  for (let i = 0; i < 2; i++) expect((await page.request.post("/api/public/validate", { headers, data: { rfc: "GODE561231GR8" } })).status()).toBe(200);
  expect((await page.request.get("/api/public/ping", { headers })).status()).toBe(200);
  for (let i = 0; i < 2; i++) expect((await page.request.get("/api/public/audit?business_id=x", { headers })).status()).toBe(403);

  await page.reload();
  const row = page.getByRole("table", { name: /^API keys/ }).getByRole("row").filter({ hasText: "Counted key" });
  await expect(row.getByTestId("key-admitted-month")).toHaveText("3 this month");

  await page.goto(`/keys/${key.id}`);
  await expect(page.getByTestId("key-page-admitted-month")).toHaveText("3 this month");
  await expect(page.getByTestId("totals-admitted")).toHaveText("3", { timeout: 15_000 });
  await expect(page.getByTestId("totals-attempts")).toHaveText("5");
  await expect(page.getByTestId("totals-refused")).toContainText("2");

  await page.goto("/usage");
  await expect(page.getByTestId(`usage-key-admitted-${key.id}`)).toHaveText("3", { timeout: 15_000 });
  await expect(page.getByTestId("totals-admitted")).toHaveText("3");
  // The quota counts metered calls only: the two validate calls.
  await expect(page.getByTestId("quota-text")).toHaveText("2 of 100 metered calls this month");
});
