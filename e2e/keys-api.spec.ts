import { expect, test, type Page } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail } from "./helpers";

const SECRET = /^sk_live_[0-9A-Za-z]{38}$/;
const masked = (secret: string) => `${secret.slice(0, 12)}…${secret.slice(-4)}`;
const keysTable = (page: Page) => page.getByRole("table", { name: /^API keys/ });

test("a manager key made in the dashboard creates and revokes a key over the API; the list and the activity log show both", async ({ page, request }) => {
  const email = uniqueEmail("keys-api");
  await signUp(page, email);
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);

  // The owner gives keys:manage in the form, which says what it allows; it is not checked by default.
  await page.getByRole("button", { name: "Create your first key" }).click();
  const form = page.getByRole("dialog", { name: "Create an API key" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill("Provisioner");
  const manage = form.getByRole("checkbox", { name: "keys:manage" });
  await expect(manage).not.toBeChecked();
  await expect(manage).toBeEnabled();
  await expect(form.getByText(/create, list, edit, disable, rotate and revoke this team's API keys through the API, acting as you/)).toBeVisible();
  await manage.check();
  await form.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Your new key “Provisioner”" });
  const manager = await reveal.getByRole("textbox", { name: "API key" }).inputValue();
  expect(manager).toMatch(SECRET);
  await reveal.getByRole("button", { name: "I have copied it" }).click();

  // From a backend: no session cookie, only the key.
  const headers = { "x-api-key": manager };
  const me = await request.get("/api/public/me", { headers });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ creator: { email, role: "owner" }, key: { name: "Provisioner", scopes: expect.arrayContaining(["keys:manage"]) } });

  const idem = { ...headers, "idempotency-key": `e2e-${Date.now()}` };
  const created = await request.post("/api/public/keys", { headers: idem, data: { name: "Tenant 7", scopes: ["ping"], expires_in_days: 30 } });
  expect(created.status()).toBe(201);
  const { secret, key } = (await created.json()) as { secret: string; key: { id: string } };
  expect(secret).toMatch(SECRET);
  // A retry is answered the same, without a second key.
  const retried = await request.post("/api/public/keys", { headers: idem, data: { name: "Tenant 7", scopes: ["ping"], expires_in_days: 30 } });
  expect(retried.headers()["idempotent-replayed"]).toBe("true");
  expect(((await retried.json()) as { key: { id: string } }).key.id).toBe(key.id);
  expect((await request.get("/api/public/ping", { headers: { "x-api-key": secret } })).status()).toBe(200);

  const listed = await request.get("/api/public/keys", { headers });
  const names = ((await listed.json()) as { data: Array<{ name: string }> }).data.map((k) => k.name);
  expect(names).toEqual(["Tenant 7", "Provisioner"]);

  await page.reload();
  await expect(keysTable(page).getByRole("row").filter({ hasText: "Tenant 7" })).toContainText("Active");
  await expect(keysTable(page).getByRole("row").filter({ hasText: "Provisioner" })).toContainText("Active");

  const revoked = await request.post(`/api/public/keys/${key.id}/revoke`, { headers });
  expect(revoked.status()).toBe(200);
  expect((await request.get("/api/public/ping", { headers: { "x-api-key": secret } })).status()).toBe(401);

  await page.reload();
  await expect(keysTable(page).getByRole("row").filter({ hasText: "Tenant 7" })).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Show revoked keys" }).check();
  await expect(keysTable(page).getByRole("row").filter({ hasText: "Tenant 7" })).toContainText("Revoked");
  await expect(keysTable(page).getByRole("row").filter({ hasText: "Provisioner" })).toContainText("Active");

  // The activity log: both changes, by the owner, through the manager key.
  await page.getByRole("link", { name: "Audit log" }).click();
  const log = page.getByRole("table", { name: "Audit log, newest first" });
  const viaKey = log.getByRole("row").filter({ hasText: "Tenant 7" }).filter({ hasText: `via API key ${masked(manager)}` });
  await expect(viaKey.filter({ hasText: "Revoked" })).toHaveCount(1);
  await expect(viaKey.filter({ hasText: "Created" })).toHaveCount(1);
  await expect(viaKey.first()).toContainText(email);
  // The dashboard's own create has no key beside it.
  await expect(log.getByRole("row").filter({ hasText: "Provisioner" }).filter({ hasText: "via API key" })).toHaveCount(0);
});
