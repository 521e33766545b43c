import { expect, test } from "./fixtures";
import { createInvitationLink, expectOnDashboard, inviteAndJoin, PASSWORD, signUp, uniqueEmail } from "./helpers";

const SECRET = /^sk_live_[0-9A-Za-z]{38}$/;

test("sign-up with 'Create my first API key': the secret is shown once on the first page, never again, and the key works", async ({ page, context }) => {
  await page.goto("/sign-up");
  const box = page.getByRole("checkbox", { name: "Create my first API key" });
  await expect(box).not.toBeChecked();
  await page.getByLabel("Email").fill(uniqueEmail("firstkey"));
  await page.getByLabel("Password").fill(PASSWORD);
  await box.check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);

  const dialog = page.getByRole("dialog", { name: "Your new key “My first key”" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("This key will not be shown again");
  const secret = await dialog.getByRole("textbox", { name: "API key" }).inputValue();
  expect(secret).toMatch(SECRET);
  expect(page.url()).not.toContain(secret);
  // The keys page's dialog: Esc first asks whether it was copied.
  await page.keyboard.press("Escape");
  await expect(dialog.getByRole("alert")).toContainText("Have you copied the key?");
  await dialog.getByRole("button", { name: "Go back to the key" }).click();
  await dialog.getByRole("button", { name: "I have copied it" }).click();
  await expect(dialog).toBeHidden();
  // Closing clears the reveal cookie; no cookie ever held the secret.
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).not.toContain("llavero_first_key");
  for (const c of await context.cookies()) expect(c.value).not.toContain(secret);

  const keys = page.getByRole("table", { name: /^API keys/ });
  await expect(keys.getByRole("row").filter({ hasText: "My first key" })).toBeVisible();

  await page.reload();
  await expect(keys.getByRole("row").filter({ hasText: "My first key" })).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  const res = await page.request.get("/api/public/ping", { headers: { "x-api-key": secret } });
  expect(res.status()).toBe(200);
});

test("a reload before closing the dialog does not show the secret again", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(uniqueEmail("firstkey-reload"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("checkbox", { name: "Create my first API key" }).check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/keys");
  await expect(page.getByRole("dialog", { name: "Your new key “My first key”" })).toBeVisible();
  await page.reload();
  await expectOnDashboard(page);
  await expect(page.getByRole("table", { name: /^API keys/ }).getByRole("row").filter({ hasText: "My first key" })).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("sign-up without the box: no key, no dialog", async ({ page }) => {
  await signUp(page, uniqueEmail("nokey"));
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);
  await expect(page.getByText("0 of 2 keys on the Free plan")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("signing up from an invitation joins the inviting team and makes no team of one's own", async ({ page, browser }) => {
  const owner = uniqueEmail("inv-owner");
  const invitee = uniqueEmail("inv-joiner");
  await signUp(page, owner);
  await page.waitForURL("**/keys");
  const ownerTeam = await page.getByRole("combobox", { name: "Current team" }).locator("option:checked").textContent();

  const joined = await inviteAndJoin(page, browser, invitee);
  const switcher = joined.getByRole("combobox", { name: "Current team" });
  await expect(switcher.locator("option")).toHaveCount(1);
  await expect(switcher.locator("option")).toHaveText(ownerTeam!);
  await expect(joined.getByText(/Free plan · you are member/)).toBeVisible();
  await joined.goto("/keys");
  await expect(switcher.locator("option")).toHaveCount(1);
  await joined.context().close();
});

test("the sign-up form from a pending invitation says the account joins and offers no first key; a stale link signs up as usual", async ({ page, browser }) => {
  // An unknown token: the account gets its own team, so the page says so and offers the key.
  await page.goto(`/sign-up?next=${encodeURIComponent(`/invite/${"a".repeat(43)}`)}`);
  await expect(page.getByLabel("Password")).toBeVisible();
  await expect(page.getByText("You get a team of your own")).toBeVisible();
  await expect(page.getByText("You join the team that invited you.")).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "Create my first API key" })).toBeVisible();

  await signUp(page, uniqueEmail("inv-form-owner"));
  await page.waitForURL("**/keys");
  const link = await createInvitationLink(page, uniqueEmail("inv-form-joiner"));
  const other = await browser.newContext();
  const invitee = await other.newPage();
  await invitee.goto(link);
  await invitee.getByRole("link", { name: "Create an account to join" }).click();
  await expect(invitee.getByLabel("Password")).toBeVisible();
  await expect(invitee.getByText("You join the team that invited you.")).toBeVisible();
  await expect(invitee.getByText("You get a team of your own")).toHaveCount(0);
  await expect(invitee.getByRole("checkbox", { name: "Create my first API key" })).toHaveCount(0);
  await other.close();
});
