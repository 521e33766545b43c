import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail } from "./helpers";

// Issue 9, item 1: a page on another port of the same host (same site, so the SameSite=Lax session
// cookie goes along) posts a plain HTML form to the revoke route. The key must stay active.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const PORTAL = `http://127.0.0.1:${PORT}`;

function attackPage(keyId: string): string {
  const action = `${PORTAL}/api/keys/${encodeURIComponent(keyId)}/revoke`;
  return `<!doctype html><html lang="en"><head><title>Win a prize</title></head><body>
<form method="post" action="${action}"><input type="hidden" name="x" value="1"><button id="urlencoded">Claim prize</button></form>
<form method="post" action="${action}" enctype="text/plain"><input type="hidden" name='{"a":"' value='"}'><button id="textplain">Claim another</button></form>
</body></html>`;
}

async function portalFetch(page: Page, path: string, method = "GET", body?: unknown): Promise<{ status: number; json: unknown }> {
  return page.evaluate(
    async ([p, m, b]) => {
      const res = await fetch(p as string, {
        method: m as string,
        headers: b === undefined ? {} : { "content-type": "application/json" },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, json: await res.json() };
    },
    [path, method, body] as const,
  );
}

test("a form on another port of the same host cannot revoke the signed-in victim's key", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: PORTAL });
  const victim = await context.newPage();
  await signUp(victim, uniqueEmail("csrf-victim"));
  await expectOnDashboard(victim);
  const created = await portalFetch(victim, "/api/keys", "POST", { name: "Target key", scopes: ["ping"], ip_allowlist: [] });
  expect(created.status).toBe(201);
  const keyId = (created.json as { key: { id: string } }).key.id;

  let html = "";
  const evil = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  try {
    html = attackPage(keyId);
    const attacker = await context.newPage();
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
    for (const button of ["#urlencoded", "#textplain"]) {
      await attacker.goto(evilUrl);
      const answered = attacker.waitForResponse((r) => r.url().endsWith(`/api/keys/${keyId}/revoke`));
      await attacker.click(button);
      const res = await answered;
      // The cookie went along (the attack is real), and the portal refused it.
      expect(await res.request().headerValue("cookie")).toContain("llavero_session=");
      expect(res.status()).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("cross_site_request");
    }
  } finally {
    await new Promise((resolve) => evil.close(resolve));
  }

  const list = await portalFetch(victim, "/api/keys");
  const key = (list.json as { keys: { id: string; status: string }[] }).keys.find((k) => k.id === keyId);
  expect(key?.status).toBe("active");
  await victim.goto("/keys");
  await expect(victim.getByRole("table", { name: /^API keys/ }).getByRole("row").filter({ hasText: "Target key" })).toContainText("Active");

  // The portal's own page still revokes, through the UI's client (JSON `{}`, same origin).
  expect((await portalFetch(victim, `/api/keys/${keyId}/revoke`, "POST", {})).status).toBe(200);
  await context.close();
});
