import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail, fromPortal } from "./helpers";

const RFC = "GODE561231GR8";
const CSV_HEADER = "time,endpoint,method,status,error_code,admitted,latency_ms,ip,summary";

interface CreatedKey {
  secret: string;
  key: { id: string; name: string; prefix: string; last4: string };
}

async function validate(request: APIRequestContext, secret: string, body: unknown): Promise<number> {
  const res = await request.post("/api/public/validate", { headers: { "x-api-key": secret }, data: body });
  return res.status();
}

test("usage: quota counts metered calls live, the chart names the key, and the key's history filters and exports", async ({ page }) => {
  await signUp(page, uniqueEmail("usage"));
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);

  const created = await page.request.post(
    "/api/keys",
    fromPortal(page, { name: "Usage key", scopes: ["ping", "validate", "audit:read", "audit:write"], ip_allowlist: [] }),
  );
  expect(created.status()).toBe(201);
  const { secret, key } = (await created.json()) as CreatedKey;

  // Three valid calls and one bad body (400): all four are metered. Pings are free.
  for (let i = 0; i < 3; i++) expect(await validate(page.request, secret, { rfc: RFC })).toBe(200);
  expect(await validate(page.request, secret, { nope: true })).toBe(400);
  for (let i = 0; i < 2; i++) {
    const ping = await page.request.get("/api/public/ping", { headers: { "x-api-key": secret } });
    expect(ping.status()).toBe(200);
  }

  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Usage" }).click();
  await page.waitForURL("**/usage");
  await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
  await expect(page.getByText("4 of 100 metered calls this month", { exact: true })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Team metered calls this month" })).toHaveAttribute("aria-valuenow", "4");
  // No projection in the month's first day (lib/usage/projection.ts); one afterwards, with a
  // note when the pace passes the quota.
  const firstDay = Date.now() - Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1) < 86_400_000;
  if (firstDay) await expect(page.getByTestId("quota-projection")).toHaveCount(0);
  else await expect(page.getByText(/^At this pace you will use [\d,]+ of 100 by [A-Z][a-z]{2} \d{1,2}\.( .+)?$/)).toBeVisible();

  const chart = page.getByRole("figure", { name: /^Daily calls by key, last 30 days/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(chart.getByTestId("chart-legend")).toContainText("Usage key");
  await expect(page.getByRole("table", { name: /^Top endpoints/ })).toContainText("/api/public/validate");
  await expect(page.getByRole("table", { name: /^Error codes/ })).toContainText("invalid_request");

  // The range lives in the URL.
  await page.getByRole("group", { name: "Date range" }).getByRole("button", { name: "7 days" }).click();
  await expect(page).toHaveURL(/[?&]days=7\b/);
  await expect(page.getByRole("figure", { name: /^Daily calls by key, last 7 days/ })).toBeVisible();

  // Live: two more calls while the page is open show up without a reload.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  for (let i = 0; i < 2; i++) expect(await validate(page.request, secret, { rfc: RFC })).toBe(200);
  await expect(page.getByText("6 of 100 metered calls this month", { exact: true })).toBeVisible({ timeout: 15_000 });
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(page.getByText(/^Updated \d+s ago$/)).toBeVisible();

  // The key's page: header, history with summaries.
  await page.goto(`/keys/${key.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Usage key" })).toBeVisible();
  await expect(page.getByText(`${key.prefix}…${key.last4}`, { exact: true })).toBeVisible();
  expect(key.prefix).toBe(secret.slice(0, 12));
  const history = page.getByRole("table", { name: /^Calls with Usage key/ });
  const rows = history.getByTestId("call-row");
  await expect(rows).toHaveCount(8);
  await expect(rows.filter({ hasText: `RFC ${RFC} — valid` })).toHaveCount(5);
  await expect(rows.filter({ hasText: "/api/public/ping" })).toHaveCount(2);

  // Filter by status: only the 400, kept in the URL and across a reload.
  await page.getByRole("combobox", { name: "Status" }).selectOption("client_error");
  await expect(page).toHaveURL(/[?&]status=client_error\b/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("400");
  await expect(rows.first()).toContainText("invalid_request");
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Status" })).toHaveValue("client_error");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("invalid_request");

  // A filter that matches nothing, then clear.
  await page.getByRole("combobox", { name: "Endpoint" }).selectOption("/api/public/ping");
  await expect(page).toHaveURL(/[?&]endpoint=%2Fapi%2Fpublic%2Fping\b/);
  await expect(page.getByRole("heading", { name: "No calls match these filters" })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(page).not.toHaveURL(/status=|endpoint=/);
  await expect(rows).toHaveCount(8);
  await page.getByRole("combobox", { name: "Status" }).selectOption("client_error");
  await expect(rows).toHaveCount(1);

  // The export carries the same filters and returns the same rows as CSV.
  const exportLink = page.getByRole("link", { name: /^Export CSV/ });
  const href = await exportLink.getAttribute("href");
  expect(href).toContain(`/api/keys/${key.id}/calls/export?`);
  expect(href).toContain("status=client_error");
  expect(href).not.toContain(secret);
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("/api/public/validate,POST,400,invalid_request,");

  // Unfiltered, as a person does it: click, get a downloaded file, and find the table's rows in it.
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(rows).toHaveCount(8);
  const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  // Issue 13 item 9: named after the key and the day, not calls-<uuid>.csv.
  expect(download.suggestedFilename()).toMatch(/-calls-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(download.suggestedFilename()).not.toContain(key.id);
  const file = (await readFile((await download.path())!, "utf8")).trim().split("\n");
  expect(file[0]).toBe(CSV_HEADER);
  const csvRows = file.slice(1).map((line) => line.split(","));
  const tableRows = await rows.allInnerTexts();
  expect(csvRows).toHaveLength(tableRows.length);
  // Same order (newest first), same endpoint and status on every row.
  csvRows.forEach((cells, i) => {
    expect(tableRows[i]).toContain(cells[1]!);
    expect(tableRows[i]).toContain(cells[3]!);
  });
});

test("a key that does not exist shows a not-found state", async ({ page }) => {
  await signUp(page, uniqueEmail("usage404"));
  await page.waitForURL("**/keys");
  await page.goto("/keys/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { level: 1, name: "Key not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to API keys" })).toBeVisible();
});

test("a new team's usage page says there are no calls yet and links to the API page", async ({ page }) => {
  await signUp(page, uniqueEmail("usage0"));
  await page.waitForURL("**/keys");
  await page.goto("/usage");
  await expect(page.getByText("0 of 100 metered calls this month", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No calls yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open the API page" })).toHaveAttribute("href", "/api-docs");
});

test("the history pages with Load more, and new calls appear at the top without duplicates", async ({ page }) => {
  await signUp(page, uniqueEmail("usagepages"));
  await page.waitForURL("**/keys");
  const created = await page.request.post("/api/keys", fromPortal(page, { name: "Busy key", scopes: ["ping"], ip_allowlist: [] }));
  expect(created.status()).toBe(201);
  const { secret, key } = (await created.json()) as CreatedKey;
  // 55 pings: past the Free plan's 10 a minute most are refused (429), and every one is logged.
  const ping = () => page.request.get("/api/public/ping", { headers: { "x-api-key": secret } });
  for (let i = 0; i < 5; i++) await Promise.all(Array.from({ length: 11 }, ping));

  await page.goto(`/keys/${key.id}`);
  const rows = page.getByRole("table", { name: /^Calls with Busy key/ }).getByTestId("call-row");
  await expect(rows).toHaveCount(50);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(rows).toHaveCount(55);
  await expect(page.getByText("That is all 55 calls.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);

  await ping();
  await expect(rows).toHaveCount(56, { timeout: 15_000 });
  const times = await rows.locator("time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime") ?? ""));
  expect([...times].sort().reverse()).toEqual(times);
  // Two more refreshes of the first page land (the page polls; 304 when nothing changed, the
  // body then reused); the list must not grow from them.
  for (let i = 0; i < 2; i++) {
    await page.waitForResponse((r) => r.url().includes(`/api/keys/${key.id}/calls?`) && [200, 304].includes(r.status()), { timeout: 30_000 });
  }
  await expect(rows).toHaveCount(56);
});

test("a failed refresh keeps the numbers and says they may be out of date, with a retry", async ({ page }) => {
  await signUp(page, uniqueEmail("usagestale"));
  await page.waitForURL("**/keys");
  await page.goto("/usage");
  await expect(page.getByText("0 of 100 metered calls this month", { exact: true })).toBeVisible();
  await expect(page.getByText(/^Updated \d+s ago$/)).toBeVisible();

  await page.route("**/api/usage?*", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "internal_error", message: "Down.", request_id: "x" } }) }),
  );
  await expect(page.getByText(/^Data may be out of date/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("0 of 100 metered calls this month", { exact: true })).toBeVisible();

  await page.unroute("**/api/usage?*");
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByText(/^Data may be out of date/)).toBeHidden();
});
