import { expect, test, type Locator, type Page } from "./fixtures";
import { expectOnDashboard, inviteAndJoin, signUp, uniqueEmail, fromPortal } from "./helpers";

const SECRET = /^sk_live_[0-9A-Za-z]{38}$/;

/** What the table shows instead of the secret: `sk_live_XXXX…last4`. */
const masked = (secret: string) => `${secret.slice(0, 12)}…${secret.slice(-4)}`;

function rowWith(page: Page, text: string): Locator {
  return page.getByRole("table", { name: /^API keys/ }).getByRole("row").filter({ hasText: text });
}

/** The row whose key column shows this masked key (other rows may mention it as "replaces …"). */
function rowOfKey(page: Page, secret: string): Locator {
  return page
    .getByRole("table", { name: /^API keys/ })
    .getByRole("row")
    .filter({ has: page.locator("code").getByText(masked(secret), { exact: true }) });
}

const keyCount = (page: Page, used: number) => page.getByText(`${used} of 2 keys on the Free plan`);

async function openAction(page: Page, label: string, action: string): Promise<void> {
  await page.getByRole("button", { name: `Actions for ${label}`, exact: true }).click();
  await page.getByRole("button", { name: `${action} ${label}`, exact: true }).click();
}

/** Reads the one-time secret and closes the secret dialog; returns the secret. */
async function takeSecret(page: Page, title: string | RegExp): Promise<string> {
  const dialog = page.getByRole("dialog", { name: title });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("This key will not be shown again");
  const secret = await dialog.getByRole("textbox", { name: "API key" }).inputValue();
  expect(secret).toMatch(SECRET);
  await dialog.getByRole("button", { name: "I have copied it" }).click();
  await expect(dialog).toBeHidden();
  return secret;
}

async function createKey(page: Page, name: string): Promise<string> {
  await page.getByRole("button", { name: /^Create (key|your first key)$/ }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await dialog.getByRole("button", { name: "Create key" }).click();
  return takeSecret(page, `Your new key “${name}”`);
}

async function signUpOnKeys(page: Page, email: string): Promise<void> {
  await signUp(page, email);
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
}

test("a key's whole life: create, copy once, rename, disable, enable, rotate with grace, revoke", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUpOnKeys(page, uniqueEmail("keys"));
  await expect(page.getByRole("heading", { name: "No keys yet" })).toBeVisible();
  await expect(keyCount(page, 0)).toBeVisible();

  // Create, through the whole form.
  await page.getByRole("button", { name: "Create your first key" }).click();
  const form = page.getByRole("dialog", { name: "Create an API key" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill("Production");
  await form.getByLabel("Description").fill("Main backend");
  const in30Days = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel("Expires on").fill(in30Days);
  await expect(form.getByRole("checkbox", { name: "audit:write" })).toBeChecked();
  await form.getByRole("checkbox", { name: "audit:write" }).uncheck();
  await expect(form.getByLabel("Rate limit per minute")).toHaveValue("10");
  await form.getByLabel("Rate limit per minute").fill("11");
  await form.getByLabel("IP allowlist").fill("203.0.113.7\n10.0.0.300");
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByText("At most 10 on the Free plan.")).toBeVisible();
  await expect(form.getByLabel("Rate limit per minute")).toBeFocused();

  await form.getByLabel("Rate limit per minute").fill("5");
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByText(/^Line 2: "10\.0\.0\.300" is not a valid/)).toBeVisible();

  await form.getByLabel("IP allowlist").fill("203.0.113.7\n\n198.51.100.0/24");
  await form.getByRole("button", { name: "Create key" }).click();

  const reveal = page.getByRole("dialog", { name: "Your new key “Production”" });
  await expect(reveal).toContainText("This key will not be shown again");
  await reveal.getByRole("button", { name: "Copy API key" }).click();
  await expect(reveal.getByRole("button", { name: "Copy API key" })).toContainText("Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(SECRET);
  expect(await reveal.getByRole("textbox", { name: "API key" }).inputValue()).toBe(copied);
  await reveal.getByRole("button", { name: "I have copied it" }).click();
  await expect(reveal).toBeHidden();
  expect(await page.content()).not.toContain(copied);

  const first = rowOfKey(page, copied);
  await expect(first).toContainText("Production");
  await expect(first).toContainText("Main backend");
  await expect(first).toContainText("you");
  await expect(first).toContainText("Active");
  await expect(first).toContainText("Never");
  await expect(keyCount(page, 1)).toBeVisible();

  // Rename.
  await openAction(page, "Production", "Rename");
  const rename = page.getByRole("dialog", { name: "Rename Production" });
  await rename.getByLabel("New name").fill("Production API");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(rename).toBeHidden();
  await expect(first).toContainText("Production API");

  // Disable asks first; enable does not.
  await openAction(page, "Production API", "Disable");
  const confirmDisable = page.getByRole("dialog", { name: "Disable Production API?" });
  await confirmDisable.getByRole("button", { name: "Disable key" }).click();
  await expect(confirmDisable).toBeHidden();
  await expect(first).toContainText("Disabled");
  // Enable by keyboard: the menu opens on Enter with focus on its first item; arrows move.
  await page.getByRole("button", { name: "Actions for Production API", exact: true }).press("Enter");
  await expect(page.getByRole("button", { name: "Rename Production API" })).toBeFocused();
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowUp");
  await expect(page.getByRole("button", { name: "Enable Production API" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(first).toContainText("Active");

  // Rotate with a 24-hour grace period: both keys listed and linked.
  await openAction(page, "Production API", "Rotate");
  const rotate = page.getByRole("dialog", { name: "Rotate Production API" });
  await expect(rotate).toContainText("keeps working");
  await rotate.getByRole("radio", { name: /24 hours/ }).check();
  await rotate.getByRole("button", { name: "Rotate key" }).click();
  const rotated = await takeSecret(page, "New key for “Production API”");
  expect(rotated).not.toBe(copied);
  expect(await page.content()).not.toContain(rotated);

  const old = rowOfKey(page, copied);
  const replacement = rowOfKey(page, rotated);
  await expect(old).toContainText("Rotating");
  await expect(old).toContainText(/until \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
  await expect(old).toContainText(`replaced by ${masked(rotated)}`);
  await expect(replacement).toContainText("Active");
  await expect(replacement).toContainText(`replaces ${masked(copied)}`);
  await expect(keyCount(page, 1)).toBeVisible();
  if (process.env.KEYS_SCREENSHOT) await page.screenshot({ path: process.env.KEYS_SCREENSHOT, fullPage: true });

  // Revoke the old key: confirmed, final, and hidden unless asked for.
  const oldLabel = `Production API (ending ${copied.slice(-4)})`;
  await openAction(page, oldLabel, "Revoke");
  const confirmRevoke = page.getByRole("dialog", { name: `Revoke ${oldLabel}?` });
  await expect(confirmRevoke).toContainText("immediate and final");
  await expect(confirmRevoke.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirmRevoke.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirmRevoke).toBeHidden();
  await expect(old).toHaveCount(0);
  await expect(replacement).toBeVisible();
  await expect(page.getByRole("region", { name: "API keys" })).toBeFocused();

  await page.getByRole("checkbox", { name: "Show revoked keys" }).check();
  await expect(old).toContainText("Revoked");
  await expect(old.getByRole("button")).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Show revoked keys" }).uncheck();
  await expect(old).toHaveCount(0);
});

// Issue 13 item 9: the button used to open the whole form and fail on submit.
test("the Free plan's key limit: Create key is disabled with the reason, and the server refuses a third key too", async ({ page }) => {
  await signUpOnKeys(page, uniqueEmail("limit"));
  await createKey(page, "First");
  await createKey(page, "Second");
  await expect(keyCount(page, 2)).toBeVisible();

  const button = page.getByRole("button", { name: "Create key" });
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription(/all 2 keys allowed on the Free plan are in use/);
  await expect(page.getByRole("link", { name: "Upgrade the plan" })).toBeVisible();

  const refused = await page.request.post("/api/keys", fromPortal(page, { name: "Third", scopes: ["ping"], ip_allowlist: [] }));
  expect(refused.status()).toBe(409);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("limit_reached");
  expect(body.error.message).toContain("2 of 2 keys allowed on the Free plan");
  expect(body.error.message).toContain("upgrade the plan");
  await page.reload();
  await expect(rowWith(page, "Third")).toHaveCount(0);
  await expect(keyCount(page, 2)).toBeVisible();
});

test("members see only their own keys; the owner sees the member's key and may only stop it", async ({ page, browser }) => {
  const owner = uniqueEmail("kowner");
  const member = uniqueEmail("kmember");
  await signUpOnKeys(page, owner);
  await createKey(page, "Owner key");

  const page2 = await inviteAndJoin(page, browser, member);

  await page2.getByRole("link", { name: "API keys" }).click();
  await expect(page2.getByRole("heading", { name: "No keys yet" })).toBeVisible();
  await expect(page2.getByText("Owner key")).toHaveCount(0);
  // The plan's limit counts the whole team's keys, even ones this member cannot see.
  await expect(keyCount(page2, 1)).toBeVisible();
  await createKey(page2, "Member key");
  await expect(rowWith(page2, "Member key")).toContainText("you");
  await expect(page2.getByText("Owner key")).toHaveCount(0);

  await page.getByRole("link", { name: "API keys" }).click();
  const memberRow = rowWith(page, "Member key");
  await expect(memberRow).toContainText(member);
  await expect(rowWith(page, "Owner key")).toContainText("you");
  await page.getByRole("button", { name: "Actions for Member key", exact: true }).click();
  await expect(page.getByRole("button", { name: "Disable Member key" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke Member key" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Rename Member key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rotate Member key" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Disable Member key" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Actions for Member key", exact: true })).toBeFocused();
  await page2.context().close();
});
