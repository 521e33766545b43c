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
  for (const name of ["GET /api/public/ping", "POST /api/public/validate", "GET /api/public/audit", "POST /api/public/audit", "GET /api/public/audit/{audit_id}"]) {
    await expect(page.getByRole("region", { name, exact: true })).toBeVisible();
  }
  // No key yet: a generic placeholder.
  await expect(curlFor(page, "GET /api/public/ping")).toContainText('-H "X-API-Key: sk_live_…"');
  await expect(page.getByTestId("key-note")).toContainText("You have no API key yet");

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
  await expect(curlFor(page, "POST /api/public/validate")).toContainText('-d \'{"rfc":"GODE561231GR8"}\'');
  await expect(page.getByTestId("key-note")).toContainText("Docs key");
  expect(await page.content()).not.toContain(secret);

  await page.screenshot({ path: "/tmp/api-docs.png", fullPage: true });

  // Try it: ping with the real key.
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
