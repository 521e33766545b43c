import { expect, test } from "./fixtures";
import { expectOnDashboard, inviteAndJoin, PASSWORD, signIn, signUp, uniqueEmail, fromPortal } from "./helpers";

test("two people share a team: sign up, invite, accept in a fresh browser, both see the roles", async ({ page, browser }) => {
  const owner = uniqueEmail("owner");
  const invitee = uniqueEmail("invitee");

  await signUp(page, owner);
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);

  await page.getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await page.getByLabel("Email to invite").fill(invitee);
  await page.getByLabel("Role").selectOption("member");
  await page.getByRole("button", { name: "Create invitation" }).click();
  const linkBox = page.getByRole("textbox", { name: "Invitation link" });
  await expect(linkBox).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const link = await linkBox.inputValue();
  await expect(page.getByRole("table", { name: "Pending invitations" })).toContainText(invitee);
  // Success clears the address for the next invitation; a refusal keeps it to correct.
  await expect(page.getByLabel("Email to invite")).toHaveValue("");
  await page.getByLabel("Email to invite").fill(owner);
  await page.getByRole("button", { name: "Create invitation" }).click();
  await expect(page.getByText(`${owner} is already a member of this team.`).first()).toBeVisible();
  await expect(page.getByLabel("Email to invite")).toHaveValue(owner);
  // Start another team: a plain labelled field like the others (required mark after a field name,
  // not after a call to action).
  const newTeam = page.getByRole("textbox", { name: "New team name" });
  await expect(newTeam).toHaveAttribute("required", "");
  await expect(page.getByText("Start another team")).toHaveCount(0);

  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto(link);
  await expect(page2.getByRole("heading", { name: /^Join / })).toBeVisible();
  await page2.getByRole("link", { name: "Create an account to join" }).click();
  await expect(page2.getByLabel("Email")).toHaveValue(invitee);
  await page2.getByLabel("Password").fill(PASSWORD);
  await page2.getByRole("button", { name: "Create account" }).click();
  // Creating the account from the invitation joins the team: straight to the Team page.
  await page2.waitForURL("**/team");

  const members2 = page2.getByRole("table", { name: "Team members" });
  await expect(members2.getByRole("row", { name: new RegExp(owner) })).toContainText("owner");
  await expect(members2.getByRole("row", { name: new RegExp(invitee) })).toContainText("member");
  // A member does not get the invite form.
  await expect(page2.getByLabel("Email to invite")).toHaveCount(0);

  await page.reload();
  const members1 = page.getByRole("table", { name: "Team members" });
  await expect(members1.getByRole("row", { name: new RegExp(invitee) })).toBeVisible();
  await expect(members1.getByRole("combobox", { name: `Role of ${invitee}` })).toHaveValue("member");

  // The link is single-use.
  const third = await browser.newContext();
  const page3 = await third.newPage();
  await page3.goto(link);
  await expect(page3.getByText("This invitation has already been used.")).toBeVisible();
  await other.close();
  await third.close();
});

test("a wrong password is refused with a message and no session", async ({ page, context }) => {
  const email = uniqueEmail("wrongpw");
  await signUp(page, email);
  await page.waitForURL("**/keys");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");

  await signIn(page, email, "not the right password");
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toHaveText("That email and password do not match an account.");
  expect((await context.cookies()).find((c) => c.name === "llavero_session")).toBeUndefined();
  await page.goto("/keys");
  await page.waitForURL(/\/sign-in/);

  await signIn(page, email);
  await page.waitForURL("**/keys");
  const cookie = (await context.cookies()).find((c) => c.name === "llavero_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
});

test("sign-up refuses a short password with a field message", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(uniqueEmail("short"));
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up/);
});

test("the owner promotes and removes members; a member leaves; a removed member's key stops", async ({ page, browser }) => {
  const owner = uniqueEmail("mowner");
  const alice = uniqueEmail("malice");
  const bob = uniqueEmail("mbob");
  await signUp(page, owner);
  await page.waitForURL("**/keys");

  const alicePage = await inviteAndJoin(page, browser, alice);
  const bobPage = await inviteAndJoin(page, browser, bob);

  // Bob makes a key; it must stop working when he is removed.
  const created = await bobPage.request.post("/api/keys", fromPortal(bobPage, { name: "Bob key", scopes: ["ping"], ip_allowlist: [] }));
  expect(created.status()).toBe(201);
  const { secret } = (await created.json()) as { secret: string };
  expect((await bobPage.request.get("/api/public/ping", { headers: { "x-api-key": secret } })).status()).toBe(200);

  await page.reload();
  const members = page.getByRole("table", { name: "Team members" });
  await members.getByRole("combobox", { name: `Role of ${alice}` }).selectOption("admin");
  await expect(page.getByText(`${alice} is now admin`)).toBeVisible();
  await alicePage.reload();
  await expect(alicePage.getByRole("table", { name: "Team members" }).getByRole("row", { name: new RegExp(alice) })).toContainText("admin");
  // As an admin, Alice now gets the invite form.
  await expect(alicePage.getByLabel("Email to invite")).toBeVisible();

  await page.getByRole("button", { name: `Remove ${bob}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove member" }).click();
  await expect(members.getByRole("row", { name: new RegExp(bob) })).toHaveCount(0);
  const refused = await page.request.get("/api/public/ping", { headers: { "x-api-key": secret } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("key_disabled");

  // Alice leaves; she lands in a team of her own.
  await alicePage.getByRole("button", { name: "Leave team" }).click();
  await alicePage.getByRole("dialog").getByRole("button", { name: "Leave team" }).click();
  await page.reload();
  await expect(members.getByRole("row", { name: new RegExp(alice) })).toHaveCount(0);
  await alicePage.goto("/team");
  await expect(alicePage.getByRole("table", { name: "Team members" }).getByRole("row", { name: new RegExp(alice) })).toContainText("owner");

  await alicePage.context().close();
  await bobPage.context().close();
});
