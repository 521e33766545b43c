import { expect, test } from "./fixtures";
import { expectOnDashboard, inviteAndJoin, signUp, uniqueEmail, fromPortal } from "./helpers";

test("an owner's disable holds: the member sees who disabled the key and cannot enable it", async ({ page, browser }) => {
  const owner = uniqueEmail("disabling-owner");
  await signUp(page, owner);
  await expectOnDashboard(page);
  const member = await inviteAndJoin(page, browser, uniqueEmail("disabled-member"));

  const created = await member.request.post("/api/keys", fromPortal(member, { name: "Held key", scopes: ["ping"], ip_allowlist: [] }));
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: { id: string } };
  expect((await page.request.post(`/api/keys/${key.id}/disable`, fromPortal(page))).status()).toBe(200);

  await member.getByRole("link", { name: "API keys" }).click();
  const row = member.getByRole("table", { name: /^API keys/ }).getByRole("row").filter({ hasText: "Held key" });
  await expect(row).toContainText("Disabled");
  await expect(row).toContainText(`disabled by ${owner} (owner or admin)`);
  await member.getByRole("button", { name: "Actions for Held key", exact: true }).click();
  await expect(member.getByRole("button", { name: "Revoke Held key" })).toBeVisible();
  await expect(member.getByRole("button", { name: "Enable Held key" })).toHaveCount(0);
  await member.keyboard.press("Escape");

  // The server refuses it too, whatever the page offers.
  const refused = await member.request.post(`/api/keys/${key.id}/enable`, fromPortal(member));
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden");

  // The owner can.
  await page.goto("/keys");
  await page.getByRole("button", { name: "Actions for Held key", exact: true }).click();
  await page.getByRole("button", { name: "Enable Held key" }).click();
  await expect(page.getByRole("table", { name: /^API keys/ }).getByRole("row").filter({ hasText: "Held key" })).toContainText("Active");
  await member.context().close();
});
