import http from "node:http";
import { expect, test } from "./fixtures";

// Issue 9, item 8, over real HTTP through server.mjs: Next's own answers under /api/public (a
// malformed URL, a method no route exports, OPTIONS) carry X-Request-Id as well as ours do.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; id: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: PORT, method, path, headers: { ...headers, ...(body ? { "content-length": Buffer.byteLength(body) } : {}) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, id: res.headers["x-request-id"] as string | undefined, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("every /api/public answer carries a UUID X-Request-Id, whoever wrote it", async () => {
  const paths = ["/api/public/ping", "/api/public/validate", "/api/public/audit", "/api/public/audit/x", "/api/public/openapi.json", "/api/public/nope", "/api/public/%E0%A4%A", "/api/public/ping?x=%zz", "/api/public//ping", "/api/public/../public/ping"];
  const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"];
  const statuses = new Set<number>();
  for (const path of paths) {
    for (const method of methods) {
      const body = ["POST", "PUT", "PATCH"].includes(method) ? '{"rfc":"GODE561231GR8"}' : undefined;
      const res = await raw(method, path, body, body ? { "content-type": "application/jsonx" } : {});
      expect(res.id, `${method} ${path} → ${res.status}`).toMatch(UUID);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
      statuses.add(res.status);
      // When the app wrote the envelope, it used server.mjs's id.
      if (res.text.startsWith('{"error"')) expect((JSON.parse(res.text) as { error: { request_id: string } }).error.request_id).toBe(res.id);
    }
  }
  // An oversize body and a forged stamp.
  const big = await raw("POST", "/api/public/validate", JSON.stringify({ rfc: "x".repeat(200_000) }), { "content-type": "application/json", "x-api-key": "sk_live_" + "A".repeat(38) });
  expect(big.id).toMatch(UUID);
  const forged = await raw("GET", "/api/public/ping", undefined, { "x-llavero-request-id": "11111111-1111-4111-8111-111111111111" });
  expect(forged.id).toMatch(UUID);
  expect(forged.id).not.toBe("11111111-1111-4111-8111-111111111111");
  // Not only our envelopes: Next's own answers were among them.
  expect(statuses.size).toBeGreaterThan(3);
});
