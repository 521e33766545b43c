import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as pingRoute from "@/app/api/public/ping/route";
import * as validateRoute from "@/app/api/public/validate/route";
import * as auditRoute from "@/app/api/public/audit/route";
import * as auditStatusRoute from "@/app/api/public/audit/[audit_id]/route";
import * as openapiRoute from "@/app/api/public/openapi.json/route";
import * as unknownRoute from "@/app/api/public/[...path]/route";
import * as keysRoute from "@/app/api/keys/route";
import * as keyRoute from "@/app/api/keys/[keyId]/route";
import * as revokeRoute from "@/app/api/keys/[keyId]/revoke/route";
import * as disableRoute from "@/app/api/keys/[keyId]/disable/route";
import * as enableRoute from "@/app/api/keys/[keyId]/enable/route";
import * as rotateRoute from "@/app/api/keys/[keyId]/rotate/route";
import * as callsRoute from "@/app/api/keys/[keyId]/calls/route";
import * as exportRoute from "@/app/api/keys/[keyId]/calls/export/route";
import * as auditLogRoute from "@/app/api/audit-log/route";
import * as usageRoute from "@/app/api/usage/route";
import { setDbForTesting } from "@/lib/db";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { flushCallLog } from "@/lib/public-api/call-log";
import { KEY_REFUSALS } from "@/lib/public-api/verify";
import { siteOrigin } from "@/lib/site-url";
import { makeKey, makeTeam, type TeamFixture } from "../api-fixtures";
import { sessionFor } from "../dashboard-fixtures";
import { inRequestScope } from "../next-request-scope";
import { openPostgresTestDb, testDatabases, type TestDatabase } from "../databases";

vi.mock("next/headers", () => import("../next-request-scope"));

/**
 * Issue 9's fuzz suite: ≥ 10,000 generated requests, in-process, against every public route and
 * every dashboard JSON route (methods, headers, media types, encodings, JSON of every shape, huge
 * and odd unicode values, paths and params). Every answer is below 500, every error is the envelope
 * with the answer's request id, and afterwards the call log and the key and team counters equal
 * what the admitted calls account for. On PostgreSQL when TEST_DATABASE_URL is set, else PGlite.
 */

/** Generated cases; a sixth name a method the route does not export (Next answers those), so ≥ 10,000 reach a handler. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12_000);
const MIN_REQUESTS = Number(process.env.FUZZ_MIN_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const BATCH = 12;

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<string, Handler>>;

interface Target {
  path: string;
  mod: RouteModule;
  /** Path parameter name, if any. */
  param?: string;
  kind: "public" | "dashboard";
  /** Metered public endpoint, by method. */
  metered?: Partial<Record<string, boolean>>;
}

const PUBLIC: Target[] = [
  { path: "/api/public/ping", mod: pingRoute as unknown as RouteModule, kind: "public", metered: { GET: false } },
  { path: "/api/public/validate", mod: validateRoute as unknown as RouteModule, kind: "public", metered: { POST: true } },
  { path: "/api/public/audit", mod: auditRoute as unknown as RouteModule, kind: "public", metered: { GET: true, POST: true } },
  { path: "/api/public/audit/{}", mod: auditStatusRoute as unknown as RouteModule, param: "audit_id", kind: "public", metered: { GET: false } },
  { path: "/api/public/openapi.json", mod: openapiRoute as unknown as RouteModule, kind: "public" },
  { path: "/api/public/{}", mod: unknownRoute as unknown as RouteModule, param: "path", kind: "public" },
];
const DASHBOARD: Target[] = [
  { path: "/api/keys", mod: keysRoute as unknown as RouteModule, kind: "dashboard" },
  { path: "/api/keys/{}", mod: keyRoute as unknown as RouteModule, param: "keyId", kind: "dashboard" },
  { path: "/api/keys/{}/revoke", mod: revokeRoute as unknown as RouteModule, param: "keyId", kind: "dashboard" },
  { path: "/api/keys/{}/disable", mod: disableRoute as unknown as RouteModule, param: "keyId", kind: "dashboard" },
  { path: "/api/keys/{}/enable", mod: enableRoute as unknown as RouteModule, param: "keyId", kind: "dashboard" },
  { path: "/api/keys/{}/rotate", mod: rotateRoute as unknown as RouteModule, param: "keyId", kind: "dashboard" },
  { path: "/api/keys/{}/calls", mod: callsRoute as unknown as RouteModule, param: "keyId", kind: "dashboard" },
  { path: "/api/keys/{}/calls/export", mod: exportRoute as unknown as RouteModule, param: "keyId", kind: "dashboard" },
  { path: "/api/audit-log", mod: auditLogRoute as unknown as RouteModule, kind: "dashboard" },
  { path: "/api/usage", mod: usageRoute as unknown as RouteModule, kind: "dashboard" },
];

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** Odd text: NUL, lone surrogates, RTL and zero-width marks, emoji, combining marks, huge runs. */
const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("\u0000", "\ud800", "\udfff", "a\ud83dz", "\u202eevil\u202c", "\u200b\u200d", "𝕏🙂‍↔️", "e\u0301\u0301\u0301", "GODE561231GR8", "XAXX010101000", "../../etc/passwd", "%00", "' or 1=1 --", "<script>alert(1)</script>"),
  fc.integer({ min: 1000, max: 120_000 }).map((n) => "ẞ".repeat(n)),
);
/** Header values must be Latin-1 (ByteString) in fetch's Headers. */
const headerText = fc.oneof(fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")), fc.constantFrom("", " ", "\t", "x".repeat(8000), "é\u00ff"));

const contentTypes = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=UTF-16",
    "application/jsonx",
    "application/problem+json",
    "application/+json",
    "text/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=zz",
    "application/json, text/plain",
    'application/json; charset="utf-8"; q="a\\"b"',
    "",
  ),
  headerText,
);

const jsonBody = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ rfc: oddText }).map((v) => JSON.stringify(v)),
  fc.record({ rfcs: fc.array(oddText, { maxLength: 5 }), business_id: fc.option(oddText) }).map((v) => JSON.stringify(v)),
  fc.record({ name: oddText, scopes: fc.array(fc.constantFrom("ping", "validate", "audit:read", "audit:write", "admin", ""), { maxLength: 5 }), ip_allowlist: fc.array(oddText, { maxLength: 3 }), rate_limit_per_minute: fc.oneof(fc.integer(), fc.double(), fc.constant(null)) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ grace: fc.constantFrom("none", "1h", "24h", "7d", "forever", "") }).map((v) => JSON.stringify(v)),
  fc.constantFrom("", "{}", "[]", "null", "{", '{"a":1}{', "\u0000", '{"__proto__":{"admin":true}}', '{"rfc":"GODE561231GR8"}'),
  oddText,
);
const rawBytes = fc.uint8Array({ maxLength: 200 });

interface Generated {
  target: number;
  method: string;
  param: string;
  query: [string, string][];
  key: number;
  keyVia: "x-api-key" | "bearer" | "both";
  contentType: string | null;
  contentEncoding: string | null;
  body: string | Uint8Array | null;
  origin: "site" | "evil" | "none" | "same-origin";
  session: boolean;
  extraHeader: string | null;
  ip: string;
}

const TARGETS = [...PUBLIC, ...DASHBOARD];

function requestArb(paramPool: () => string[]): fc.Arbitrary<Generated> {
  return fc.record({
    target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
    // Mostly a method the route exports (index into its exports); sometimes any method at all.
    method: fc.oneof({ weight: 5, arbitrary: fc.nat(6).map((i) => `#${i}`) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS, "PROPFIND", "FOO") }),
    param: fc.oneof(fc.constantFrom(...paramPool()), fc.uuid(), oddText.map((s) => s.slice(0, 300)), fc.constantFrom("..", "%2e%2e", "a/b", "", " ", "null")),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom("days", "key_id", "cursor", "limit", "status", "endpoint", "from", "to", "business_id", "include_revoked"), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom("7", "30", "90", "-1", "0", "1e309", "NaN", "2026-13-45", "ok", "2xx", "1"), oddText.map((s) => s.slice(0, 200)))), { maxLength: 4 }),
    key: fc.integer({ min: -3, max: 6 }),
    keyVia: fc.constantFrom("x-api-key", "bearer", "both"),
    contentType: fc.option(contentTypes, { nil: null }),
    contentEncoding: fc.option(fc.constantFrom("gzip", "br", "identity", "deflate, gzip", "x-bogus"), { nil: null, freq: 8 }),
    body: fc.option(fc.oneof({ weight: 8, arbitrary: jsonBody }, { weight: 1, arbitrary: rawBytes }), { nil: null, freq: 4 }),
    origin: fc.constantFrom("site", "evil", "none", "same-origin"),
    session: fc.boolean(),
    extraHeader: fc.option(headerText, { nil: null }),
    ip: fc.constantFrom("127.0.0.1", "::1", "10.1.2.3", "::ffff:10.1.2.3", "not-an-ip", "2001:db8::1"),
  });
}

interface Ledger {
  requests: number;
  statuses: Map<number, number>;
  /** request id → metered, for every admitted call. */
  admitted: Map<string, boolean>;
  refused: number;
  /** request id → what was sent and answered, to explain a mismatch. */
  seen: Map<string, string>;
  /** Time spent per kind of route, ms (summed over concurrent requests). */
  ms: Record<string, number>;
}

const REFUSAL_CODES = new Set<string>(KEY_REFUSALS);

const factory = process.env.TEST_DATABASE_URL ? { name: "postgres", open: () => openPostgresTestDb(10) } : testDatabases()[0]!;

describe(`fuzz: generated requests against the public API and the dashboard routes (${factory.name})`, () => {
  let t: TestDatabase;
  let api: TeamFixture;
  let dash: TeamFixture;
  let keys: string[];
  let keyIds: string[];
  let session: string;

  beforeAll(async () => {
    t = await factory.open();
    setDbForTesting(t.db);
    api = await makeTeam(t.db, "business");
    dash = await makeTeam(t.db, "business");
    const made = [
      await makeKey(api, { rate_limit_per_minute: 300 }),
      await makeKey(api, { rate_limit_per_minute: 300 }),
      await makeKey(api, { scopes: ["ping"] }),
      await makeKey(api, { ip_allowlist: ["10.0.0.0/8"] }),
      await makeKey(api, { rate_limit_per_minute: 2 }),
      await makeKey(dash),
    ];
    keys = made.map((m) => m.secret);
    keyIds = made.map((m) => m.key.id);
    session = await sessionFor(dash.ownerId);
  });
  afterAll(async () => {
    setDbForTesting(undefined);
    await t?.dispose();
  });

  /** `#i` → the route's i-th exported method (mod its count). */
  function methodOf(g: Generated): string {
    if (!g.method.startsWith("#")) return g.method;
    const exported = METHODS.filter((m) => typeof TARGETS[g.target]!.mod[m] === "function");
    return exported[Number(g.method.slice(1)) % exported.length]!;
  }

  /** A URL path carries UTF-8 bytes: a lone surrogate cannot reach a route, U+FFFD can. */
  const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

  function build(g: Generated): { req: Request; target: Target; params: Record<string, string>; keyed: boolean } {
    const target = TARGETS[g.target]!;
    const param = wellFormed(g.param) || "x";
    const url = new URL(target.path.replace("{}", encodeURIComponent(param)), siteOrigin());
    for (const [k, v] of g.query) url.searchParams.append(k, v);
    const h = new Headers({ "x-llavero-socket-ip": g.ip, "user-agent": "fuzz" });
    let keyed = false;
    if (g.key >= 0 && g.key < keys.length) {
      keyed = true;
      const k = keys[g.key]!;
      if (g.keyVia !== "bearer") h.set("x-api-key", k);
      if (g.keyVia !== "x-api-key") h.set("authorization", `Bearer ${k}`);
    } else if (g.key === -1) h.set("x-api-key", "sk_live_" + "A".repeat(38));
    else if (g.key === -2) h.set("authorization", "Bearer");
    if (g.contentType !== null) h.set("content-type", g.contentType);
    if (g.contentEncoding !== null) h.set("content-encoding", g.contentEncoding);
    if (g.extraHeader !== null) h.set("x-fuzz", g.extraHeader);
    if (g.session) h.set("cookie", `${SESSION_COOKIE}=${session}`);
    if (g.origin === "site") h.set("origin", siteOrigin());
    if (g.origin === "evil") h.set("origin", "https://evil.example");
    if (g.origin === "same-origin") h.set("sec-fetch-site", "same-origin");
    const bodyless = g.method === "GET" || g.method === "HEAD";
    const req = new Request(url, { method: g.method, headers: h, body: bodyless || g.body === null ? undefined : (g.body as BodyInit) });
    return { req, target, params: target.param ? { [target.param]: param } : {}, keyed };
  }

  async function send(generated: Generated, ledger: Ledger): Promise<void> {
    const g = { ...generated, method: methodOf(generated) };
    const t0 = performance.now();
    try {
      await sendOne(g, ledger);
    } finally {
      const k = TARGETS[g.target]!.kind;
      ledger.ms[k] = (ledger.ms[k] ?? 0) + performance.now() - t0;
    }
  }

  async function sendOne(g: Generated, ledger: Ledger): Promise<void> {
    const { req, target, params, keyed } = build(g);
    const fn = target.mod[g.method] ?? (g.method === "HEAD" ? target.mod.GET : undefined);
    // A method the route file does not export: Next answers 405 itself (with server.mjs's id).
    if (!fn) return;
    const res = await inRequestScope(req.headers, () => fn(req, { params: Promise.resolve(params) }));
    ledger.requests++;
    ledger.statuses.set(res.status, (ledger.statuses.get(res.status) ?? 0) + 1);
    const where = `${g.method} ${target.path} → ${res.status}`;
    expect(res.status, where).toBeLessThan(500);
    const id = res.headers.get("x-request-id");
    if (target.kind === "public") expect(id, where).toMatch(/^[0-9a-f-]{36}$/);
    const text = g.method === "HEAD" ? "" : await res.text();
    let code: string | null = null;
    if (id) ledger.seen.set(id, `${where} key=${g.key} ${text.slice(0, 120)}`);
    if (res.status >= 400 && g.method !== "HEAD") {
      const body = JSON.parse(text) as { error: { code: unknown; message: unknown; request_id: unknown } };
      expect(typeof body.error.code, where).toBe("string");
      expect(typeof body.error.message, where).toBe("string");
      expect(body.error.request_id, where).toBe(id);
      code = body.error.code as string;
    }
    // Admitted: a keyed endpoint reached with a valid key that verification let through; the
    // handler may still answer 4xx (bad input is metered, as the contract says).
    const declaredKeyed = target.metered?.[g.method === "HEAD" ? "GET" : g.method] !== undefined;
    if (target.kind === "public" && keyed && declaredKeyed && res.headers.has("x-ratelimit-limit")) {
      // HEAD answers have no body: the key refusals are exactly the 401, 403 and 429 answers there
      // (the GET handlers' own errors are 400 and 404).
      const refusedByKey = g.method === "HEAD" ? [401, 403, 429].includes(res.status) : code !== null && REFUSAL_CODES.has(code);
      if (!refusedByKey) ledger.admitted.set(id!, Boolean(target.metered?.[g.method === "HEAD" ? "GET" : g.method]) && g.method !== "HEAD");
      else ledger.refused++;
    }
  }

  it(`≥ ${MIN_REQUESTS} requests, ${BATCH} at a time: no 5xx, every error in the envelope, counters equal the admitted calls`, async () => {
    setDbForTesting(t.db);
    const ledger: Ledger = { requests: 0, statuses: new Map(), admitted: new Map(), refused: 0, ms: {}, seen: new Map() };
    const started = Date.now();
    // Batches run concurrently, as a server's clients would (and to keep the suite near a minute).
    const arb = fc.array(requestArb(() => [...keyIds, "00000000-0000-4000-8000-000000000000"]), { minLength: BATCH, maxLength: BATCH });
    await fc.assert(
      fc.asyncProperty(arb, async (batch) => {
        await Promise.all(batch.map((g) => send(g, ledger)));
      }),
      { numRuns: Math.ceil(RUNS / BATCH), seed: SEED, endOnFailure: true },
    );
    await flushCallLog();
    const seconds = (Date.now() - started) / 1000;

    const { rows: log } = await t.db.query<{ request_id: string; metered: boolean }>(
      "select request_id, metered from public.api_calls where admitted",
    );
    const logged = new Map(log.map((r) => [r.request_id, r.metered]));
    expect(logged.size).toBe(log.length);
    const onlyClient = [...ledger.admitted.keys()].filter((id) => !logged.has(id)).map((id) => `${id} ${ledger.seen.get(id)}`);
    const onlyLog = [...logged.keys()].filter((id) => !ledger.admitted.has(id)).map((id) => `${id} ${ledger.seen.get(id)}`);
    expect({ onlyClient, onlyLog }).toEqual({ onlyClient: [], onlyLog: [] });
    expect(logged).toEqual(ledger.admitted);
    const { rows: keysNow } = await t.db.query<{ uses: number }>("select coalesce(sum(uses_total), 0)::int as uses from public.api_keys");
    expect(keysNow[0]!.uses).toBe(ledger.admitted.size);
    const { rows: usage } = await t.db.query<{ calls: number }>("select coalesce(sum(calls), 0)::int as calls from public.team_usage");
    expect(usage[0]!.calls).toBe([...ledger.admitted.values()].filter(Boolean).length);
    // (This database holds only this suite's two teams.) Every completed call has the status the client saw recorded (no call left open).
    const { rows: open } = await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where status is null");
    expect(open[0]!.n).toBe(0);

    const summary = [...ledger.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(" ");
    console.log(`fuzz: ${ledger.requests} requests in ${seconds.toFixed(1)} s (seed ${SEED}); ${ledger.admitted.size} admitted, ${ledger.refused} refused by key; statuses ${summary}; ms ${JSON.stringify(ledger.ms, (_k, v: unknown) => (typeof v === "number" ? Math.round(v) : v))}`);
    expect(ledger.requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
  }, 300_000);
});
