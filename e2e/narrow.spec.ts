import { expect, test } from "./fixtures";
import { signUp, uniqueEmail, fromPortal } from "./helpers";

// Issue 13 item 8: no page scrolls sideways at 390 px, and every action stays reachable.
test.use({ viewport: { width: 390, height: 844 } });

test("at 390 px no page scrolls sideways", async ({ page }) => {
  // Nine pages, each waited on until the network is idle.
  test.slow();
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
  for (const path of ["/keys", `/keys/${key.id}`, "/usage", "/api-docs", "/api-docs/createKey", "/api-docs/webhooks", "/audit-log", "/team", "/billing"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    // The header (logo, sign-out, team, navigation) leaves most of the screen to the page: it took ~480 px.
    const header = await page.locator("aside").first().boundingBox();
    if (!header || header.height > 240) overflow.push(`${path}: header is ${header ? Math.round(header.height) : "?"} px tall`);
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

test.describe("at 1280 px", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("no table is cut off: the usage page's tables and the key's history fit their boxes", async ({ page }) => {
    await signUp(page, uniqueEmail("mid"));
    await page.waitForURL("**/keys");
    const created = await page.request.post(
      "/api/keys",
      fromPortal(page, { name: "Mid-width key", scopes: ["ping", "validate", "audit:read", "audit:write"], ip_allowlist: [] }),
    );
    const { key, secret } = (await created.json()) as { key: { id: string }; secret: string };
    // Every endpoint (the longest path included) and an error, so each column has content.
    const h = { "x-api-key": secret };
    await page.request.post("/api/public/validate", { headers: h, data: { rfc: "GODE561231GR8" } });
    await page.request.post("/api/public/validate", { headers: h, data: { nope: true } });
    await page.request.get("/api/public/audit/00000000-0000-4000-8000-000000000000", { headers: h });
    await page.request.get("/api/public/audit?rfc=GODE561231GR8", { headers: h });
    await page.request.get("/api/public/ping", { headers: h });

    const clipped: string[] = [];
    for (const path of ["/usage", `/keys/${key.id}`]) {
      await page.goto(path);
      await expect(page.getByRole("table").first()).toBeVisible();
      await expect(page.getByRole("table", { name: /^(Top endpoints|Calls with)/ }).getByRole("row").nth(1)).toBeVisible();
      for (const region of await page.locator("table").all()) {
        const r = await region.evaluate((t) => {
          const box = t.parentElement!;
          return { name: t.querySelector("caption")?.textContent ?? "table", scroll: box.scrollWidth, client: box.clientWidth };
        });
        if (r.scroll > r.client) clipped.push(`${path} ${r.name}: ${r.scroll} > ${r.client}`);
      }
    }
    expect(clipped).toEqual([]);
  });
});
