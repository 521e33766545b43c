import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ping from "@/app/api/public/ping/route";
import * as validate from "@/app/api/public/validate/route";
import * as audit from "@/app/api/public/audit/route";
import * as auditStatus from "@/app/api/public/audit/[audit_id]/route";
import * as openapi from "@/app/api/public/openapi.json/route";
import * as unknown from "@/app/api/public/[...path]/route";
import { setDbForTesting } from "@/lib/db";
import { flushCallLog } from "@/lib/public-api/call-log";
import { apiRequest, makeKey, makeTeam } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";

// Issue 9, item 8: every answer under /api/public carries X-Request-Id; the id server.mjs stamped
// (x-llavero-request-id) is the one the app answers with and puts in the envelope.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Route = Partial<Record<(typeof METHODS)[number], (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>>;
const ROUTES: [string, Route, Record<string, string>][] = [
  ["/api/public/ping", ping as Route, {}],
  ["/api/public/validate", validate as Route, {}],
  ["/api/public/audit", audit as Route, {}],
  ["/api/public/audit/00000000-0000-4000-8000-000000000000", auditStatus as Route, { audit_id: "00000000-0000-4000-8000-000000000000" }],
  ["/api/public/openapi.json", openapi as Route, {}],
  ["/api/public/no/such/thing", unknown as Route, { path: "no/such/thing" }],
];

describe.each(testDatabases())("X-Request-Id on every /api/public answer ($name)", (factory) => {
  let t: TestDatabase;
  let key: string;

  beforeAll(async () => {
    t = await factory.open();
    key = (await makeKey(await makeTeam(t.db, "business"))).secret;
  });
  afterAll(async () => {
    await flushCallLog();
    setDbForTesting(undefined);
    await t.dispose();
  });

  /** Next answers HEAD with GET when a route has no HEAD export; so do we here. */
  async function call(route: Route, method: (typeof METHODS)[number], req: Request, params: Record<string, string>): Promise<Response> {
    const fn = route[method] ?? (method === "HEAD" ? route.GET : undefined);
    expect(fn, `${method} is exported, so Next never answers it by itself`).toBeDefined();
    return fn!(req, { params: Promise.resolve(params) });
  }

  const cases = [
    { name: "no key", opts: {} },
    { name: "malformed key", opts: { key: "sk_live_nope" } },
    { name: "unknown key", opts: { key: "sk_live_" + "A".repeat(38) } },
    { name: "good key", opts: { key: () => key } },
    { name: "good key, form body", opts: { key: () => key, rawBody: "x=1", contentType: "application/x-www-form-urlencoded" } },
    { name: "good key, bad JSON", opts: { key: () => key, rawBody: "{" } },
    { name: "good key, 70 KiB body", opts: { key: () => key, rawBody: JSON.stringify({ rfc: "x".repeat(70 * 1024) }) } },
  ];

  it("every method × every route × auth and body error paths", async () => {
    setDbForTesting(t.db);
    let checked = 0;
    for (const [path, route, params] of ROUTES) {
      for (const method of METHODS) {
        for (const c of cases) {
          const o = c.opts as { key?: string | (() => string); rawBody?: string; contentType?: string };
          const bodyless = method === "GET" || method === "HEAD";
          const stamped = crypto.randomUUID();
          const req = apiRequest(path, {
            method,
            key: typeof o.key === "function" ? o.key() : o.key,
            rawBody: bodyless ? undefined : (o.rawBody ?? '{"rfc":"GODE561231GR8"}'),
            contentType: o.contentType,
            headers: { "x-llavero-request-id": stamped },
          });
          const res = await call(route, method, req, params);
          const label = `${method} ${path} (${c.name}) → ${res.status}`;
          expect(res.headers.get("x-request-id"), label).toBe(stamped);
          if (res.status >= 400 && method !== "HEAD") {
            const body = (await res.json()) as { error: { request_id: string } };
            expect(body.error.request_id, label).toBe(stamped);
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(ROUTES.length * METHODS.length * cases.length);
  });

  it("a forged or missing stamp gets a fresh UUID, never the forged text", async () => {
    setDbForTesting(t.db);
    for (const forged of [undefined, "abc; x-evil: 1", "not-a-uuid"]) {
      const res = await ping.GET(apiRequest("/api/public/ping", { key, headers: forged ? { "x-llavero-request-id": forged } : {} }), { params: Promise.resolve({}) });
      expect(res.headers.get("x-request-id")).toMatch(UUID);
    }
  });
});
