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

test("at 390 px every table cell is readable: on screen or in a labelled scroll region, and never squeezed tall", async ({ page }) => {
  test.slow();
  await signUp(page, uniqueEmail("cells"));
  await page.waitForURL("**/keys");
  const created = await page.request.post(
    "/api/keys",
    fromPortal(page, { name: "Phone key with a fairly long name", scopes: ["ping", "validate", "audit:read", "audit:write"], ip_allowlist: [] }),
  );
  const { key, secret } = (await created.json()) as { key: { id: string }; secret: string };
  // The longest path, a refusal and an error, so every column has content.
  const h = { "x-api-key": secret };
  await page.request.post("/api/public/validate", { headers: h, data: { rfc: "GODE561231GR8" } });
  await page.request.post("/api/public/validate", { headers: h, data: { nope: true } });
  await page.request.get("/api/public/audit/00000000-0000-4000-8000-000000000000", { headers: h });
  await page.request.get("/api/public/ping", { headers: h });
  await page.request.get("/api/public/ping", { headers: { "x-api-key": `${secret}x` } });

  const problems: string[] = [];
  for (const path of ["/usage", `/keys/${key.id}`, "/api-docs/validateRfc"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await expect(page.getByRole("table").first()).toBeVisible();
    problems.push(
      ...(await page.evaluate((path) => {
        const out: string[] = [];
        const right = (el: Element) => el.getBoundingClientRect().right;
        for (const table of Array.from(document.querySelectorAll("table"))) {
          if (table.getClientRects().length === 0) continue;
          const name = table.querySelector("caption")?.textContent ?? "table";
          const box = table.parentElement!;
          const card = box.closest(".rounded-xl") ?? box;
          // The scroll box itself is on screen and inside its card.
          if (right(box) > Math.min(window.innerWidth, right(card)) + 0.5) out.push(`${path} ${name}: its box ends at ${Math.round(right(box))}`);
          const label = box.getAttribute("aria-labelledby") ? document.getElementById(box.getAttribute("aria-labelledby")!)?.textContent : box.getAttribute("aria-label");
          const scrollRegion = box.getAttribute("role") === "region" && !!label && box.tabIndex === 0 && getComputedStyle(box).overflowX === "auto";
          const stacked = getComputedStyle(table).display === "block";
          for (const cell of Array.from(table.querySelectorAll("th, td"))) {
            const r = cell.getBoundingClientRect();
            // Stacked tables keep their header row for screen readers only (sr-only, 1 px).
            if (r.width === 0 || (stacked && cell.closest("thead"))) continue;
            const text = (cell as HTMLElement).innerText.trim().slice(0, 30);
            // Cut off: past the visible box, unless the box is a labelled scroll region the reader can scroll.
            if (r.right > right(box) + 0.5 && !scrollRegion) out.push(`${path} ${name} "${text}": cut off at ${Math.round(right(box))}`);
            // Squeezed: a column narrowed to a word per line (a row of the key's history was ~130 px).
            if (!stacked && r.height > 80) out.push(`${path} ${name} "${text}": ${Math.round(r.height)} px tall`);
            // Stacked as cards: each value takes the card's width.
            if (stacked && r.width < box.clientWidth * 0.8) out.push(`${path} ${name} "${text}": stacked but ${Math.round(r.width)} px wide`);
            // No text overflows its own cell (a nowrap token would paint over the next column).
            if ((cell as HTMLElement).scrollWidth > (cell as HTMLElement).clientWidth + 1) out.push(`${path} ${name} "${text}": text overflows its cell`);
          }
          // An overflowing table shows a cue at its hidden edge.
          if (box.scrollWidth > box.clientWidth && !getComputedStyle(box).backgroundImage.includes("gradient")) out.push(`${path} ${name}: scrolls without a cue`);
        }
        return out;
      }, path)),
    );
  }
  // The usage totals: "REFUSED 1,051 (3.9%)" stays inside its column and the card.
  await page.goto("/usage");
  for (const word of ["attempts", "admitted", "refused"]) {
    const dd = page.getByTestId(`totals-${word}`);
    const fits = await dd.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().right <= window.innerWidth);
    if (!fits) problems.push(`/usage totals ${word}: ${await dd.innerText()} overflows`);
  }
  expect(problems).toEqual([]);
  for (const [path, file] of [["/usage", "usage"], [`/keys/${key.id}`, "key"], ["/api-docs/validateRfc", "operation"]] as const) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: test.info().outputPath(`narrow-390-${file}.png`), fullPage: true });
  }
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
