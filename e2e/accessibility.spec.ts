import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail, fromPortal } from "./helpers";

/** Serious and critical axe findings on the page as it is now, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

test("signed-out pages have no serious or critical accessibility issues", async ({ page, browser }) => {
  for (const path of ["/sign-in", "/sign-up"]) {
    await page.goto(path);
    await expect(page.getByRole("heading").first()).toBeVisible();
    expect(await seriousViolations(page), path).toEqual([]);
  }
  // An invitation, seen signed out by the person invited.
  await signUp(page, uniqueEmail("a11y-owner"));
  await expectOnDashboard(page);
  await page.getByRole("link", { name: "Team" }).click();
  const invitee = uniqueEmail("a11y-invitee");
  await page.getByLabel("Email to invite").fill(invitee);
  await page.getByRole("button", { name: "Create invitation" }).click();
  await expect(page.getByRole("region", { name: "Invitation link" })).toContainText(invitee);
  const link = await page.getByRole("textbox", { name: "Invitation link" }).inputValue();
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect(other.getByRole("link", { name: "Create an account to join" })).toBeVisible();
  expect(await seriousViolations(other), "/invite/…").toEqual([]);
  await other.context().close();
});

test("every dashboard page has no serious or critical accessibility issues", async ({ page }) => {
  // Nine pages, each loaded, settled and scanned by axe: on a busy machine one scan can take
  // ten seconds or more, so the budget grows with the pages rather than the default 60 s for all.
  test.setTimeout(60_000 + 9 * 20_000);
  await signUp(page, uniqueEmail("a11y"));
  await expectOnDashboard(page);
  const created = await page.request.post("/api/keys", fromPortal(page, { name: "A11y key", scopes: ["ping"], ip_allowlist: [] }));
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: { id: string } };
  for (const path of ["/keys", `/keys/${key.id}`, "/usage", "/audit-log", "/api-docs", "/api-docs/validateRfc", "/api-docs/try-it", "/billing", "/team"]) {
    await page.goto(path);
    await expectOnDashboard(page);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // Let client-side queries settle: no loading placeholders left.
    await expect(page.getByText(/^Loading/)).toHaveCount(0);
    expect(await seriousViolations(page), path).toEqual([]);
  }
});

test("the Webhooks page, with an endpoint, its edit dialog and a delivery, has no serious or critical accessibility issues", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, uniqueEmail("a11y-webhooks"));
  await expectOnDashboard(page);
  // An endpoint and a (failing, retried) test delivery, so the card and the delivery table render.
  const created = await page.request.post("/api/webhooks/endpoints", fromPortal(page, { url: "http://127.0.0.1:9/a11y", description: "A11y endpoint" }));
  expect(created.status()).toBe(201);
  const { endpoint } = (await created.json()) as { endpoint: { id: string } };
  expect((await page.request.post(`/api/webhooks/endpoints/${endpoint.id}/test`, fromPortal(page))).status()).toBe(202);
  await page.goto("/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Webhook deliveries" })).toBeVisible();
  await expect(page.getByText(/^Loading/)).toHaveCount(0);
  expect(await seriousViolations(page), "/webhooks").toEqual([]);
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Edit endpoint" })).toBeVisible();
  expect(await seriousViolations(page), "/webhooks edit dialog").toEqual([]);
});
