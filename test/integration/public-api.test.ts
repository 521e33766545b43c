import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as ping, POST as pingPost } from "@/app/api/public/ping/route";
import { GET as validateGet, POST as validate } from "@/app/api/public/validate/route";
import { GET as unknownGet, POST as unknownPost } from "@/app/api/public/[...path]/route";
import { setDbForTesting } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { generateApiKey } from "@/lib/keys/format";
import { revokeKey, rotateKey, setKeyEnabled } from "@/lib/keys/lifecycle";
import { CLOCK_MARGIN_MS, flushCallLog, recordCompletion } from "@/lib/public-api/call-log";
import { keyStatusText } from "@/components/keys/key-status-text";
import { listKeys, updateKey } from "@/lib/keys/lifecycle";
import { apiRequest, makeKey, makeTeam, readJson, type TeamFixture } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";

function corrupt(key: string): string {
  const i = 20;
  return key.slice(0, i) + (key[i] === "a" ? "b" : "a") + key.slice(i + 1);
}

describe.each(testDatabases())("public API on $name", ({ open }) => {
  let t: TestDatabase;
  let team: TeamFixture;
  let key: string;

  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
    // Pro: its 60/min rate ceiling leaves room for every call this suite makes with one key.
    team = await makeTeam(t.db, "pro");
    key = (await makeKey(team, { name: "Producción" })).secret;
  });
  afterAll(async () => {
    await flushCallLog();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  async function expectError(res: Response, status: number, code: string) {
    const body = await readJson(res);
    expect(res.status).toBe(status);
    expect(body.error?.code).toBe(code);
    expect(body.error?.request_id).toBe(res.headers.get("x-request-id"));
    expect(Object.keys(body)).toEqual(["error"]);
    return body;
  }

  it("ping answers the contract's shape with metering headers", async () => {
    const res = await ping(apiRequest("/api/public/ping", { key }));
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body).toMatchObject({
      ok: true,
      key: { name: "Producción", prefix: key.slice(0, 12), last4: key.slice(-4), scopes: ["ping", "validate", "audit:read", "audit:write"], expires_at: null },
      team: { id: team.teamId, plan: "pro" },
      quota: { limit: 2000, used: 0, remaining: 2000 },
      rate_limit: { limit: 60, remaining: 59 },
    });
    expect(JSON.stringify(body)).not.toContain(key);
    for (const h of ["x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-quota-limit", "x-quota-remaining"]) {
      expect(res.headers.get(h), h).not.toBeNull();
    }
    expect(res.headers.get("x-ratelimit-limit")).toBe("60");
    expect(res.headers.get("x-quota-remaining")).toBe("2000");
  });

  it("accepts Authorization: Bearer", async () => {
    const res = await ping(apiRequest("/api/public/ping", { headers: { authorization: `Bearer ${key}` } }));
    expect(res.status).toBe(200);
  });

  it("401 missing_api_key without a key", async () => {
    const res = await ping(apiRequest("/api/public/ping"));
    await expectError(res, 401, "missing_api_key");
    expect(res.headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("401 invalid_api_key for a bad checksum, without touching the database", async () => {
    const spy = vi.spyOn(t.db, "query");
    const res = await ping(apiRequest("/api/public/ping", { key: corrupt(key) }));
    await expectError(res, 401, "invalid_api_key");
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it("401 invalid_api_key for an unknown key", async () => {
    await expectError(await ping(apiRequest("/api/public/ping", { key: generateApiKey() })), 401, "invalid_api_key");
  });

  it("validate: 200 with the verdict, valid or not, and the call is metered", async () => {
    const before = await readJson(await ping(apiRequest("/api/public/ping", { key })));
    const ok = await validate(apiRequest("/api/public/validate", { key, body: { rfc: " gode561231gr8 " } }));
    expect(ok.status).toBe(200);
    expect(await readJson(ok)).toEqual({ rfc: "GODE561231GR8", valid: true, type: "fisica", checks: { format: true, date: true, check_digit: true }, errors: [] });
    const bad = await validate(apiRequest("/api/public/validate", { key, body: { rfc: "GODE561231GR9" } }));
    expect(bad.status).toBe(200);
    expect(await readJson(bad)).toMatchObject({ valid: false, errors: ["invalid_check_digit"] });
    const after = await readJson(await ping(apiRequest("/api/public/ping", { key })));
    expect((after.quota as { used: number }).used).toBe((before.quota as { used: number }).used + 2);
  });

  it("400 invalid_request with details for a bad body, and for bad JSON", async () => {
    const body = await expectError(await validate(apiRequest("/api/public/validate", { key, body: { rfc: 42 } })), 400, "invalid_request");
    expect(body.error?.details?.[0]).toMatchObject({ path: "rfc" });
    await expectError(await validate(apiRequest("/api/public/validate", { key, body: { rfc: "X", extra: 1 } })), 400, "invalid_request");
    await expectError(await validate(apiRequest("/api/public/validate", { key, rawBody: "{not json" })), 400, "invalid_request");
  });

  it("415 for a POST without application/json", async () => {
    await expectError(await validate(apiRequest("/api/public/validate", { key, rawBody: "rfc=X", contentType: "text/plain" })), 415, "unsupported_media_type");
  });

  it("413 for a body over 64 KiB", async () => {
    const res = await validate(apiRequest("/api/public/validate", { key, rawBody: JSON.stringify({ rfc: "x".repeat(70_000) }) }));
    await expectError(res, 413, "payload_too_large");
  });

  it("405 with Allow for the wrong method", async () => {
    const res = await validateGet();
    await expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("POST");
    const res2 = await pingPost();
    expect(res2.headers.get("allow")).toBe("GET");
  });

  it("500 internal_error with no internals when the database fails, and nothing leaks to the log", async () => {
    const broken = { ...t.db, query: async () => Promise.reject(new Error("connection to 10.0.0.5 refused: secret detail")) };
    const logged: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
    setDbForTesting(broken);
    try {
      const res = await ping(apiRequest("/api/public/ping", { key }));
      const body = await expectError(res, 500, "internal_error");
      expect(body.error?.message).toBe("Something went wrong on our side.");
      expect(JSON.stringify(body)).not.toContain("10.0.0.5");
      expect(logged.join("\n")).not.toContain(key);
    } finally {
      setDbForTesting(t.db);
      spy.mockRestore();
    }
  });

  it("404 not_found in the envelope for a path that is no endpoint", async () => {
    for (const res of [await unknownGet(), await unknownPost()]) {
      const body = await expectError(res, 404, "not_found");
      expect(body.error?.message).toContain("openapi.json");
    }
  });

  it("403 insufficient_scope", async () => {
    const only = (await makeKey(team, { name: "validate only", scopes: ["validate"] })).secret;
    const res = await ping(apiRequest("/api/public/ping", { key: only }));
    await expectError(res, 403, "insufficient_scope");
    expect(res.headers.get("x-ratelimit-limit")).not.toBeNull();
    await revokeKey(team.actor, (await readKeyId(only))!);
  });

  async function readKeyId(secret: string): Promise<string | undefined> {
    const { rows } = await t.db.query<{ id: string }>("select id from public.api_keys where prefix = $1 and last4 = $2", [secret.slice(0, 12), secret.slice(-4)]);
    return rows[0]?.id;
  }

  it("403 key_disabled, then 200 again once enabled", async () => {
    const id = (await readKeyId(key))!;
    await setKeyEnabled(team.actor, id, false);
    await expectError(await ping(apiRequest("/api/public/ping", { key })), 403, "key_disabled");
    await setKeyEnabled(team.actor, id, true);
    expect((await ping(apiRequest("/api/public/ping", { key }))).status).toBe(200);
  });

  it("401 key_expired past expiry, and past a rotation's grace period", async () => {
    const team2 = await makeTeam(t.db, "pro");
    const k = await makeKey(team2, { name: "soon" });
    await t.db.query("update public.api_keys set expires_at = now() - interval '1 second' where id = $1", [k.key.id]);
    await expectError(await ping(apiRequest("/api/public/ping", { key: k.secret })), 401, "key_expired");

    const r = await makeKey(team2, { name: "rotating" });
    const rotated = await rotateKey(team2.actor, r.key.id, "none");
    await expectError(await ping(apiRequest("/api/public/ping", { key: r.secret })), 401, "key_expired");
    expect((await ping(apiRequest("/api/public/ping", { key: rotated.secret }))).status).toBe(200);

    const g = await makeKey(team2, { name: "grace" });
    const rotatedG = await rotateKey(team2.actor, g.key.id, "1h");
    expect((await ping(apiRequest("/api/public/ping", { key: g.secret }))).status).toBe(200);
    expect((await ping(apiRequest("/api/public/ping", { key: rotatedG.secret }))).status).toBe(200);
  });

  // Issue 13 item 6: a key in its grace period dies when the grace ends; ping said its old expiry.
  it("a key in its rotation grace reports the grace end as its end of life (ping and the list)", async () => {
    const team2 = await makeTeam(t.db, "pro");
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const g = await makeKey(team2, { name: "Production", expires_at: expires });
    const rotated = await rotateKey(team2.actor, g.key.id, "1h");
    const graceEnd = rotated.previous.grace_until!;
    expect(new Date(graceEnd).getTime()).toBeLessThan(new Date(expires).getTime());
    const old = (await readJson(await ping(apiRequest("/api/public/ping", { key: g.secret })))) as { key?: { expires_at: string | null } };
    expect(old.key?.expires_at).toBe(graceEnd);
    const fresh = (await readJson(await ping(apiRequest("/api/public/ping", { key: rotated.secret })))) as { key?: { expires_at: string | null } };
    expect(fresh.key?.expires_at).toBe(new Date(expires).toISOString());
    const list = await listKeys(team2.actor, { includeRevoked: false });
    expect(list.keys.find((k) => k.id === g.key.id)!.ends_at).toBe(graceEnd);
    expect(list.keys.find((k) => k.id === rotated.key.id)!.ends_at).toBe(new Date(expires).toISOString());
  });

  it("401 invalid_api_key for a revoked key, still with metering headers", async () => {
    const team3 = await makeTeam(t.db);
    const k = await makeKey(team3);
    await revokeKey(team3.actor, k.key.id);
    const res = await ping(apiRequest("/api/public/ping", { key: k.secret }));
    await expectError(res, 401, "invalid_api_key");
    expect(res.headers.get("x-quota-limit")).toBe("100");
  });

  it("403 ip_not_allowed outside the allowlist (IPv4, IPv6, CIDR), and X-Forwarded-For only behind a trusted proxy", async () => {
    const team4 = await makeTeam(t.db, "pro");
    const k = (await makeKey(team4, { ip_allowlist: ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7"] })).secret;
    const call = (ip: string, headers?: Record<string, string>) => ping(apiRequest("/api/public/ping", { key: k, ip, headers }));
    expect((await call("10.20.30.40")).status).toBe(200);
    expect((await call("::ffff:10.1.1.1")).status).toBe(200);
    expect((await call("2001:db8:1::5")).status).toBe(200);
    expect((await call("192.0.2.7")).status).toBe(200);
    await expectError(await call("192.0.2.8"), 403, "ip_not_allowed");
    await expectError(await call("2001:db9::1"), 403, "ip_not_allowed");
    // A forged header is ignored unless the operator trusts a proxy.
    await expectError(await call("203.0.113.1", { "x-forwarded-for": "10.0.0.1" }), 403, "ip_not_allowed");
    process.env.TRUST_PROXY = "true";
    resetEnvCache();
    try {
      expect((await call("127.0.0.1", { "x-forwarded-for": "203.0.113.1, 10.0.0.1" })).status).toBe(200);
      await expectError(await call("10.0.0.1", { "x-forwarded-for": "10.0.0.1, 203.0.113.1" }), 403, "ip_not_allowed");
    } finally {
      delete process.env.TRUST_PROXY;
      resetEnvCache();
    }
  });

  it("429 rate_limited with Retry-After past the per-minute limit", async () => {
    const team5 = await makeTeam(t.db);
    const k = (await makeKey(team5, { rate_limit_per_minute: 2 })).secret;
    // Stay clear of a minute boundary, where the window would legitimately turn over mid-test.
    const msToNextMinute = 60_000 - (Date.now() % 60_000);
    if (msToNextMinute < 3_000) await new Promise((r) => setTimeout(r, msToNextMinute + 100));
    expect((await ping(apiRequest("/api/public/ping", { key: k }))).status).toBe(200);
    const second = await ping(apiRequest("/api/public/ping", { key: k }));
    expect(second.status).toBe(200);
    expect(second.headers.get("x-ratelimit-remaining")).toBe("0");
    const res = await ping(apiRequest("/api/public/ping", { key: k }));
    const body = await expectError(res, 429, "rate_limited");
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(body.error?.message).toMatch(/^Too many requests for this key\. Retry in \d+ s\.$/);
  });

  it("429 quota_exceeded on Free when the month's quota is spent; ping is not metered", async () => {
    const team6 = await makeTeam(t.db, "free");
    const k = (await makeKey(team6)).secret;
    await t.db.query(
      "insert into public.team_usage (team_id, month, calls) values ($1, date_trunc('month', now() at time zone 'utc')::date, 100)",
      [team6.teamId],
    );
    const res = await validate(apiRequest("/api/public/validate", { key: k, body: { rfc: "GODE561231GR8" } }));
    await expectError(res, 429, "quota_exceeded");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("x-quota-remaining")).toBe("0");
    expect((await ping(apiRequest("/api/public/ping", { key: k }))).status).toBe(200);
  });

  it("Pro allows overage and bills it, until the owner's hard cap", async () => {
    const team7 = await makeTeam(t.db, "pro");
    const k = (await makeKey(team7)).secret;
    await t.db.query("insert into public.team_usage (team_id, month, calls) values ($1, date_trunc('month', now() at time zone 'utc')::date, 2000)", [team7.teamId]);
    await t.db.query("update public.teams set overage_hard_cap = 1 where id = $1", [team7.teamId]);
    expect((await validate(apiRequest("/api/public/validate", { key: k, body: { rfc: "GODE561231GR8" } }))).status).toBe(200);
    await expectError(await validate(apiRequest("/api/public/validate", { key: k, body: { rfc: "GODE561231GR8" } })), 429, "quota_exceeded");
    const { rows } = await t.db.query<{ calls: number; overage: number }>("select calls, overage from public.team_usage where team_id = $1", [team7.teamId]);
    expect(rows[0]).toEqual({ calls: 2001, overage: 1 });
  });

  // Issue 13 item 2: a spent cap used to answer 429 quota_exceeded with Retry-After: 3600. A cap
  // never resets, so it is its own 403 without Retry-After, and the list says "Exhausted".
  it("403 usage_exhausted once a key's total-use cap is spent: no Retry-After, logged as such, listed as exhausted", async () => {
    const team8 = await makeTeam(t.db, "pro");
    const made = await makeKey(team8, { use_cap: 2 });
    const k = made.secret;
    expect((await ping(apiRequest("/api/public/ping", { key: k }))).status).toBe(200);
    expect((await ping(apiRequest("/api/public/ping", { key: k }))).status).toBe(200);
    const res = await ping(apiRequest("/api/public/ping", { key: k }));
    const body = await expectError(res, 403, "usage_exhausted");
    expect(body.error?.message).toMatch(/owner can raise the cap/);
    expect(res.headers.get("retry-after")).toBeNull();
    const logged = await t.db.query<{ error_code: string; status: number }>(
      "select error_code, status from public.api_calls where key_id = $1 and not admitted",
      [made.key.id],
    );
    expect(logged.rows).toEqual([{ error_code: "usage_exhausted", status: 403 }]);
    const list = await listKeys(team8.actor, { includeRevoked: false });
    const view = list.keys.find((x) => x.id === made.key.id)!;
    expect(view.status).toBe("exhausted");
    expect(keyStatusText(view)).toBe("Exhausted · 2 of 2 uses");
    // Raising the cap brings the key back.
    await updateKey(team8.actor, made.key.id, { use_cap: 3 });
    expect((await ping(apiRequest("/api/public/ping", { key: k }))).status).toBe(200);
  });

  // Issue 14: ping's answer is known at verification (logOnce), so its row is written once, whole.
  it("writes ping's call-log row once, at verification: status 200 before any completion batch, no latency, no update after", async () => {
    const teamL = await makeTeam(t.db, "pro");
    const made = await makeKey(teamL);
    await flushCallLog();
    const res = await ping(apiRequest("/api/public/ping", { key: made.secret }));
    expect(res.status).toBe(200);
    const before = await t.db.query<{ status: number | null; latency_ms: number | null; xmin: string }>(
      "select status, latency_ms, xmin::text from public.api_calls where key_id = $1",
      [made.key.id],
    );
    expect(before.rows).toEqual([{ status: 200, latency_ms: null, xmin: expect.any(String) }]);
    await flushCallLog();
    // No completion rewrote the row: the same row version (xmin) and still no latency.
    const after = await t.db.query<{ status: number; latency_ms: number | null; xmin: string }>(
      "select status, latency_ms, xmin::text from public.api_calls where key_id = $1",
      [made.key.id],
    );
    expect(after.rows).toEqual(before.rows);
    // validate's answer is known only after its handler: the completion writes status and latency.
    await validate(apiRequest("/api/public/validate", { key: made.secret, body: { rfc: "GODE561231GR8" } }));
    await flushCallLog();
    const v = await t.db.query<{ status: number; latency_ms: number | null }>(
      "select status, latency_ms from public.api_calls where key_id = $1 and endpoint = '/api/public/validate'",
      [made.key.id],
    );
    expect(v.rows[0]!.status).toBe(200);
    expect(v.rows[0]!.latency_ms).not.toBeNull();
  });

  // A completion bounds created_at by the app's clock, so a partitioned log prunes partitions.
  it("a completion updates its row only within the clock margin of the time it was verified", async () => {
    const teamC = await makeTeam(t.db, "pro");
    const made = await makeKey(teamC);
    await ping(apiRequest("/api/public/ping", { key: made.secret }));
    const { rows } = await t.db.query<{ id: number }>("select id from public.api_calls where key_id = $1", [made.key.id]);
    const callId = rows[0]!.id;
    recordCompletion({ callId, at: Date.now() - CLOCK_MARGIN_MS - 60_000, status: 503, latencyMs: 7, summary: null, errorCode: null });
    await flushCallLog();
    const far = await t.db.query<{ status: number; latency_ms: number | null }>("select status, latency_ms from public.api_calls where id = $1", [callId]);
    expect(far.rows[0]).toEqual({ status: 200, latency_ms: null });
    recordCompletion({ callId, at: Date.now(), status: 503, latencyMs: 7, summary: null, errorCode: null });
    await flushCallLog();
    const near = await t.db.query<{ status: number; latency_ms: number | null }>("select status, latency_ms from public.api_calls where id = $1", [callId]);
    expect(near.rows[0]).toEqual({ status: 503, latency_ms: 7 });
  });

  it("logs every call of a recognised key; counters equal admitted log rows; summaries arrive after the flush", async () => {
    await flushCallLog();
    const { rows } = await t.db.query<{ admitted: number; total: number; uses: number }>(
      `select (select count(*) from public.api_calls c where c.key_id = k.id and c.admitted)::int as admitted,
              (select count(*) from public.api_calls c where c.key_id = k.id)::int as total,
              k.uses_total as uses
         from public.api_keys k where k.prefix = $1 and k.last4 = $2`,
      [key.slice(0, 12), key.slice(-4)],
    );
    expect(rows[0]!.admitted).toBe(rows[0]!.uses);
    expect(rows[0]!.total).toBeGreaterThan(rows[0]!.admitted);
    const metered = await t.db.query<{ n: number; calls: number }>(
      `select (select count(*) from public.api_calls where team_id = $1 and metered)::int as n,
              (select coalesce(sum(calls), 0) from public.team_usage where team_id = $1)::int as calls`,
      [team.teamId],
    );
    expect(metered.rows[0]!.n).toBe(metered.rows[0]!.calls);
    const summaries = await t.db.query<{ summary: { rfc: string; valid: boolean }; status: number; latency_ms: number }>(
      "select summary, status, latency_ms from public.api_calls where team_id = $1 and endpoint = '/api/public/validate' and status = 200 order by id",
      [team.teamId],
    );
    expect(summaries.rows[0]).toMatchObject({ summary: { rfc: "GODE561231GR8", valid: true }, status: 200 });
    expect(summaries.rows[0]!.latency_ms).toBeGreaterThanOrEqual(0);
    const all = await t.db.query<{ row: string }>("select row_to_json(c)::text as row from public.api_calls c");
    for (const r of all.rows) expect(r.row).not.toContain(key.slice(12, 40));
  });
});
