import { expect, test } from "./fixtures";
import { signUp, uniqueEmail, fromPortal } from "./helpers";

// Issue 13 item 8: no page scrolls sideways at 390 px, and every action stays reachable.
test.use({ viewport: { width: 390, height: 844 } });

test("at 390 px no page scrolls sideways", async ({ page }) => {
  await signUp(page, uniqueEmail("narrow"));
  await page.waitForURL("**/keys");
  const created = await page.request.post("/api/keys", fromPortal(page, { name: "Phone key with a fairly long name", scopes: ["ping"], ip_allowlist: [] }));
  const { key, secret } = (await created.json()) as { key: { id: string }; secret: string };
  await page.request.get("/api/public/ping", { headers: { "x-api-key": secret } });
  const overflow: string[] = [];
  const unreachable: string[] = [];
  const inView = async (name: string, loc: import("@playwright/test").Locator) => {
    const box = await loc.boundingBox();
    if (!box || box.x < 0 || box.x + box.width > 390) unreachable.push(`${name}: ${box ? Math.round(box.x + box.width) : "hidden"}`);
  };
  for (const path of ["/keys", `/keys/${key.id}`, "/usage", "/api-docs", "/audit-log", "/team", "/billing"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
    if (scroll > inner) overflow.push(`${path}: ${scroll} > ${inner}`);
    // The navigation: every page's link is on screen.
    for (const link of await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link").all()) await inView(`${path} nav ${await link.innerText()}`, link);
  }
  expect(overflow).toEqual([]);
  // Each key's actions are on screen without scrolling the table.
  await page.goto("/keys");
  await inView("keys: Actions", page.getByRole("button", { name: "Actions for Phone key with a fairly long name", exact: true }));
  await page.goto(`/keys/${key.id}`);
  for (const b of await page.getByRole("group", { name: /^Actions for/ }).getByRole("button").all()) await inView(`key page: ${await b.innerText()}`, b);
  expect(unreachable).toEqual([]);
});
