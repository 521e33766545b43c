import { expect, test, type Page } from "./fixtures";
import { signUp, uniqueEmail, fromPortal } from "./helpers";

// Issue 13 item 11: the usage summary and the key's history poll every 5 s. A poll with nothing
// new is a 304 without a body, and a hidden tab does not poll at all.

/** Makes the page believe its tab is hidden (or visible again), as a background tab is. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

test("polled usage reads answer 304 when nothing changed and stop while the tab is hidden", async ({ page }) => {
  test.slow();
  await signUp(page, uniqueEmail("polling"));
  await page.waitForURL("**/keys");
  const created = await page.request.post("/api/keys", fromPortal(page, { name: "Polled key", scopes: ["ping"], ip_allowlist: [] }));
  const { key, secret } = (await created.json()) as { key: { id: string }; secret: string };
  await page.request.get("/api/public/ping", { headers: { "x-api-key": secret } });

  const seen: Array<{ url: string; status: number; at: number }> = [];
  page.on("response", (res) => {
    const url = new URL(res.url());
    if (url.pathname === "/api/usage" || url.pathname.endsWith("/calls")) seen.push({ url: url.pathname, status: res.status(), at: Date.now() });
  });

  // The key page polls both the summary and the newest page of history.
  await page.goto(`/keys/${key.id}`);
  await expect(page.getByTestId("call-row")).toHaveCount(1);
  // A poll after the first answers: nothing changed, so 304 for both.
  await expect.poll(() => seen.filter((s) => s.url === "/api/usage" && s.status === 304).length, { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(() => seen.filter((s) => s.url.endsWith("/calls") && s.status === 304).length, { timeout: 20_000 }).toBeGreaterThan(0);

  // A new call: the next poll is a 200 with it, and the page shows it.
  await page.request.get("/api/public/ping", { headers: { "x-api-key": secret } });
  await expect(page.getByTestId("call-row")).toHaveCount(2, { timeout: 20_000 });

  // Hidden: no request for three intervals.
  await setHidden(page, true);
  const hiddenAt = Date.now();
  await page.waitForTimeout(16_000);
  expect(seen.filter((s) => s.at > hiddenAt + 500)).toEqual([]);

  // Visible again: it refreshes at once and polls again.
  const shownAt = Date.now();
  await setHidden(page, false);
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await expect.poll(() => seen.filter((s) => s.at >= shownAt).length, { timeout: 15_000 }).toBeGreaterThan(0);
});
