import { expect, test } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail } from "./helpers";

const PORT = Number(process.env.E2E_PORT ?? 3210);

test("pages send a nonce CSP and the clickjacking, sniffing, referrer and permissions headers", async ({ request }) => {
  const res = await request.get("/sign-in");
  expect(res.status()).toBe(200);
  const h = res.headers();
  const csp = h["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  // Plain HTTP here: no HSTS.
  expect(h["strict-transport-security"]).toBeUndefined();
  // The page's scripts carry this response's nonce, and the next response has another one.
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  expect(await res.text()).toContain(`nonce="${nonce}"`);
  const again = (await request.get("/sign-in")).headers()["content-security-policy"]!;
  expect(again).not.toContain(nonce);
});

test("HSTS only when the request came over HTTPS", async ({ request }) => {
  const res = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(res.headers()["strict-transport-security"]).toMatch(/^max-age=\d{7,}/);
  expect(res.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
});

test("invitation pages send no Referer to other origins", async ({ request }) => {
  const res = await request.get("/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  expect(res.headers()["referrer-policy"]).toBe("same-origin");
  expect(res.headers()["x-frame-options"]).toBe("DENY");
});

test("API answers: a deny-all CSP, nosniff, no framing; session JSON is never cached", async ({ page, request }) => {
  const pub = await request.get("/api/public/ping");
  expect(pub.status()).toBe(401);
  expect(pub.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(pub.headers()["x-content-type-options"]).toBe("nosniff");
  expect(pub.headers()["x-frame-options"]).toBe("DENY");

  await signUp(page, uniqueEmail("headers"));
  await expectOnDashboard(page);
  for (const path of ["/api/keys", "/api/audit-log", "/api/usage"]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["cache-control"], path).toContain("no-store");
    expect(res.headers()["x-content-type-options"], path).toBe("nosniff");
  }
});

test("the CSP blocks injected markup's script, and the suite's guard sees it", async ({ page, cspViolations }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  // What stored XSS would do: markup with an inline handler (no nonce can cover it).
  await page.evaluate(() => {
    document.body.insertAdjacentHTML("beforeend", '<img alt="" src="/no-such-image.png" onerror="window.__injected = true">');
  });
  await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  // Expected here; any other test with a violation fails.
  cspViolations.length = 0;
});

test("the server answers on IPv4 and IPv6 loopback", async ({ playwright }) => {
  for (const origin of [`http://127.0.0.1:${PORT}`, `http://[::1]:${PORT}`]) {
    const ctx = await playwright.request.newContext({ baseURL: origin });
    expect((await ctx.get("/sign-in")).status(), origin).toBe(200);
    await ctx.dispose();
  }
});

test("robots.txt keeps the dashboard out of search engines; the icons are served", async ({ request }) => {
  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  const text = await robots.text();
  for (const path of ["/keys", "/usage", "/audit-log", "/team", "/billing", "/invite/", "/api/"]) expect(text).toContain(`Disallow: ${path}`);
  for (const icon of ["/apple-touch-icon.png", "/icon-192.png", "/icon-512.png"]) {
    const res = await request.get(icon);
    expect(res.status(), icon).toBe(200);
    expect(res.headers()["content-type"]).toBe("image/png");
  }
  expect((await request.get("/site.webmanifest")).status()).toBe(200);
});

test("pages link their icon, so browsers never ask for a missing /favicon.ico", async ({ page }) => {
  const asked: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/favicon.ico") asked.push(r.url());
  });
  await page.goto("/sign-in");
  const href = await page.locator('head link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  expect((await page.request.get(href!)).status()).toBe(200);
  await page.waitForLoadState("networkidle");
  expect(asked).toEqual([]);
});
