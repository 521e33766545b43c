import { expect, test, type Page } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail, fromPortal } from "./helpers";

const curlFor = (page: Page, name: string) => page.getByRole("region", { name: `curl example for ${name}` });

async function sendTryIt(page: Page, endpoint: string, key: string): Promise<void> {
  const box = page.locator("#try-it");
  await box.getByLabel("Endpoint").selectOption(endpoint);
  await box.getByLabel("API key").fill(key);
  await box.getByRole("button", { name: "Send" }).click();
}

test("the API page documents every endpoint, uses the key's prefix in curl, and Try it calls the real API", async ({ page, request }) => {
  await signUp(page, uniqueEmail("apidocs"));
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);

  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "API", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API" })).toBeVisible();
  // The overview lists every operation; each has its own page with its examples.
  const index = page.getByRole("region", { name: "Endpoints" });
  for (const [id, path] of [["ping", "/api/public/ping"], ["validateRfc", "/api/public/validate"], ["getLatestAudit", "/api/public/audit"], ["startAudit", "/api/public/audit"], ["getAudit", "/api/public/audit/{audit_id}"]]) {
    await expect(index.locator(`li#${id}`).getByRole("link", { name: path, exact: true })).toHaveAttribute("href", `/api-docs/${id}`);
  }
  // No key yet: a generic placeholder.
  await expect(page.getByTestId("key-note")).toContainText("You have no API key yet");
  await index.locator("li#ping").getByRole("link", { name: "/api/public/ping", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "GET /api/public/ping" })).toBeVisible();
  await expect(curlFor(page, "GET /api/public/ping")).toContainText('-H "X-API-Key: sk_live_…"');

  const created = await page.request.post(
    "/api/keys",
    fromPortal(page, { name: "Docs key", scopes: ["ping", "validate", "audit:read", "audit:write"], ip_allowlist: [] }),
  );
  expect(created.status()).toBe(201);
  const { secret } = (await created.json()) as { secret: string };
  expect(secret).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
  const prefix = secret.slice(0, 12);

  await page.reload();
  const pingCurl = curlFor(page, "GET /api/public/ping");
  await expect(pingCurl).toContainText(`-H "X-API-Key: ${prefix}…`);
  expect(await page.content()).not.toContain(secret);
  await page.getByRole("link", { name: /^Next: POST \/api\/public\/validate/ }).click();
  await expect(curlFor(page, "POST /api/public/validate")).toContainText('-d \'{"rfc":"GODE561231GR8"}\'');
  await page.getByRole("link", { name: "← All endpoints" }).click();
  await expect(page.getByTestId("key-note")).toContainText("Docs key");
  expect(await page.content()).not.toContain(secret);

  await page.screenshot({ path: "/tmp/api-docs.png", fullPage: true });

  // Try it (its own page): ping with the real key.
  await page.getByRole("link", { name: "Try it in the browser" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Try it" })).toBeVisible();
  const box = page.locator("#try-it");
  await expect(box.getByLabel("API key")).toHaveAttribute("type", "password");
  await sendTryIt(page, "ping", secret);
  const status = box.getByTestId("try-it-status");
  await expect(status).toHaveText("200 OK");
  const body = box.getByRole("region", { name: "Response body" });
  await expect(body).toContainText('"ok": true');
  await expect(body).toContainText(`"prefix": "${prefix}"`);
  const headers = box.getByRole("definition");
  await expect(box.getByText("X-RateLimit-Limit", { exact: true })).toBeVisible();
  await expect(box.getByText("X-Request-Id", { exact: true })).toBeVisible();
  await expect(headers.first()).not.toBeEmpty();

  // validate, with the body edited.
  await box.getByLabel("Endpoint").selectOption("validateRfc");
  await box.getByLabel("Request body (JSON)").fill('{"rfc":"GODE561231GR8"}');
  await box.getByRole("button", { name: "Send" }).click();
  await expect(status).toHaveText("200 OK");
  await expect(body).toContainText('"valid": true');
  await expect(body).toContainText('"type": "fisica"');

  // A malformed key is refused by the API itself.
  await sendTryIt(page, "ping", "sk_live_not-a-real-key");
  await expect(status).toHaveText("401 Unauthorized");
  await expect(body).toContainText('"code": "invalid_api_key"');

  // The key does not survive leaving the page.
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await page.goBack();
  await expect(page.locator("#try-it").getByLabel("API key")).toHaveValue("");

  // The document itself needs no key.
  const docRes = await request.get("/api/public/openapi.json");
  expect(docRes.status()).toBe(200);
  expect(docRes.headers()["cache-control"]).toBe("public, max-age=300");
  const doc = (await docRes.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/public/ping", "/api/public/validate", "/api/public/audit"]));
});

test("the API page is at most 60 KB of HTML, shows the error table once, and every endpoint keeps its documented codes", async ({ page }) => {
  await signUp(page, uniqueEmail("apisize"));
  await page.waitForURL("**/keys");
  const res = await page.request.get("/api-docs");
  expect(res.status()).toBe(200);
  const html = await res.text();
  // Issue 13 item 11: it was ~780 KB, the full error table repeated under every endpoint.
  expect(Buffer.byteLength(html)).toBeLessThanOrEqual(60 * 1024);
  const doc = (await (await page.request.get("/api/public/openapi.json")).json()) as {
    paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: { "application/json"?: { examples?: Record<string, unknown> } } }> }>>;
  };

  await page.goto("/api-docs");
  await expect(page.getByRole("table", { name: "Error codes" })).toHaveCount(1);
  let operations = 0;
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      const codes = Object.entries(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([status, r]) => Object.keys(r.content?.["application/json"]?.examples ?? {}).map((code) => `${status} ${code}`));
      const listed = (await page.locator(`li#${op.operationId} .api-codes`).innerText()).replace(/^Errors: /, "").split(" · ");
      expect(listed, op.operationId).toEqual(codes);
      operations++;
      for (const code of codes) await expect(page.locator(`tr#error-${code.split(" ")[1]}`)).toHaveCount(1);
    }
  }
  expect(operations).toBeGreaterThanOrEqual(15);

  // An endpoint's own page lists its codes, each linking to the one table.
  await page.goto("/api-docs/validateRfc");
  const errors = page.getByRole("table", { name: "Errors of POST /api/public/validate" });
  await expect(errors.getByRole("link", { name: "payload_too_large" })).toHaveAttribute("href", "/api-docs#error-payload_too_large");
  await errors.getByRole("link", { name: "payload_too_large" }).click();
  await expect(page).toHaveURL(/\/api-docs#error-payload_too_large$/);
  await expect(page.locator("tr#error-payload_too_large")).toBeInViewport();
  // The webhooks reference has its own page.
  await page.goto("/api-docs/webhooks");
  await expect(page.getByRole("heading", { level: 2, name: "Webhooks" })).toBeVisible();
});
