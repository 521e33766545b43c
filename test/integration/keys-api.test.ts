import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/public/keys/[key_id]/route";
import * as disableRoute from "@/app/api/public/keys/[key_id]/disable/route";
import * as enableRoute from "@/app/api/public/keys/[key_id]/enable/route";
import * as revokeRoute from "@/app/api/public/keys/[key_id]/revoke/route";
import * as rotateRoute from "@/app/api/public/keys/[key_id]/rotate/route";
import * as keysRoute from "@/app/api/public/keys/route";
import * as meRoute from "@/app/api/public/me/route";
import { GET as ping } from "@/app/api/public/ping/route";
import { listActivityLog } from "@/lib/activity/activity-log";
import { setDbForTesting } from "@/lib/db";
import { createKey, setKeyEnabled, type Actor } from "@/lib/keys/lifecycle";
import { flushCallLog } from "@/lib/public-api/call-log";
import { apiRequest, makeKey, makeTeam, readJson, type TeamFixture } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";
import { addMember, createUser, expectSqlState, queryAs } from "../fixtures";

type Json = Awaited<ReturnType<typeof readJson>>;
type KeyJson = { id: string; name: string; status: string; scopes: string[]; created_by: string; prefix: string; last4: string; replaced_by_id: string | null };

const params = (key_id: string) => ({ params: Promise.resolve({ key_id }) });
const MANAGER_SCOPES = ["ping", "validate", "keys:manage"];

describe.each(testDatabases())("key-management API on $name", ({ open }) => {
  let t: TestDatabase;
  let team: TeamFixture;
  let manager: { secret: string; id: string };

  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
    team = await makeTeam(t.db, "business");
    const m = await createKey(team.actor, { name: "provisioning", scopes: MANAGER_SCOPES as never, ip_allowlist: [] });
    manager = { secret: m.secret, id: m.key.id };
  });
  afterAll(async () => {
    await flushCallLog();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  const create = (key: string, body: unknown, headers: Record<string, string> = {}) => keysRoute.POST(apiRequest("/api/public/keys", { key, body, headers }));
  const post = (route: { POST: typeof keysRoute.POST }, path: string, key: string, id: string, body?: unknown, headers: Record<string, string> = {}) =>
    route.POST(apiRequest(`/api/public/keys/${id}/${path}`, { key, method: "POST", headers, ...(body === undefined ? {} : { body }) }), params(id));

  async function expectError(res: Response, status: number, code: string): Promise<Json> {
    const body = await readJson(res);
    expect({ status: res.status, code: body.error?.code }, body.error?.message).toEqual({ status, code });
    return body;
  }

  /** No answer ever holds a stored hash or another key's secret. */
  function expectNoSecrets(text: string, allowed: string | null = null) {
    expect(text).not.toMatch(/hash/i);
    const secrets = text.match(/sk_live_[0-9A-Za-z]{38}/g) ?? [];
    expect(secrets.filter((s) => s !== allowed)).toEqual([]);
  }

  async function activity(actor: Pick<Actor, "userId" | "teamId">) {
    return (await listActivityLog(actor, { limit: 100 })).entries;
  }

  async function keyCount(teamId: string): Promise<number> {
    const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from public.api_keys where team_id = $1", [teamId]);
    return rows[0]!.n;
  }

  async function quotaUsed(teamId: string): Promise<number> {
    const { rows } = await t.db.query<{ n: number }>("select coalesce(sum(calls), 0)::int as n from public.team_usage where team_id = $1", [teamId]);
    return rows[0]!.n;
  }

  it("GET /me answers for a key of any scope: the key, team, plan, creator and limits, no secret", async () => {
    const onlyValidate = await makeKey(team, { name: "validate only", scopes: ["validate"] });
    for (const secret of [manager.secret, onlyValidate.secret]) {
      const res = await meRoute.GET(apiRequest("/api/public/me", { key: secret }));
      expect(res.status).toBe(200);
      const text = await res.text();
      expectNoSecrets(text);
      const body = JSON.parse(text);
      expect(body).toMatchObject({
        team: { id: team.teamId, plan: "business" },
        creator: { id: team.ownerId, role: "owner" },
        limits: { key_limit: 20, monthly_quota: 10_000, use_cap: null },
      });
      expect(body.key.prefix).toBe(secret.slice(0, 12));
      expect(body.key.last4).toBe(secret.slice(-4));
    }
  });

  it("POST /keys creates a working key with the dashboard's rules; the activity log names the acting key, its creator and the IP; not metered", async () => {
    const quotaBefore = await quotaUsed(team.teamId);
    const res = await keysRoute.POST(
      apiRequest("/api/public/keys", { key: manager.secret, ip: "203.0.113.9", body: { name: "tenant-1", description: "from CI", scopes: ["ping"], expires_in_days: 30, rate_limit_per_minute: 20 } }),
    );
    expect(res.status).toBe(201);
    const text = await res.text();
    const { secret, key } = JSON.parse(text) as { secret: string; key: KeyJson & { expires_at: string; created_by: string } };
    expectNoSecrets(text, secret);
    expect(key).toMatchObject({ name: "tenant-1", scopes: ["ping"], status: "active", created_by: team.ownerId });
    const days = (Date.parse(key.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect((await ping(apiRequest("/api/public/ping", { key: secret }))).status).toBe(200);

    const row = (await activity(team.actor)).find((e) => e.key_id === key.id && e.action === "key.created");
    expect(row).toMatchObject({ actor_id: team.ownerId, actor_key: `${manager.secret.slice(0, 12)}…${manager.secret.slice(-4)}`, ip: "203.0.113.9" });
    // Management calls are logged but not metered.
    expect(await quotaUsed(team.teamId)).toBe(quotaBefore);
    const { rows } = await t.db.query<{ admitted: boolean; metered: boolean }>(
      "select admitted, metered from public.api_calls where key_id = $1 and endpoint = '/api/public/keys' and method = 'POST'",
      [manager.id],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.admitted && !r.metered)).toBe(true);
  });

  it("refuses what the dashboard refuses, in the envelope (expiry, scopes, both expiry forms)", async () => {
    await expectError(await create(manager.secret, { name: "x", expires_in_days: 400 }), 400, "invalid_request");
    await expectError(await create(manager.secret, { name: "x", expires_in_days: 3, expires_at: new Date(Date.now() + 86_400_000).toISOString() }), 400, "invalid_request");
    await expectError(await create(manager.secret, { name: "x", scopes: ["root"] }), 400, "invalid_request");
    await expectError(await create(manager.secret, { name: "" }), 400, "invalid_request");
  });

  it("escalation: a key cannot give a scope it lacks, by create, edit or rotate", async () => {
    const before = await keyCount(team.teamId);
    const e = await expectError(await create(manager.secret, { name: "more", scopes: ["ping", "audit:write"] }), 403, "forbidden");
    expect(e.error?.message).toContain("audit:write");
    // Omitting scopes asks for the default (every scope but keys:manage), which this key lacks too.
    await expectError(await create(manager.secret, { name: "default" }), 403, "forbidden");
    expect(await keyCount(team.teamId)).toBe(before);

    const mine = JSON.parse(await (await create(manager.secret, { name: "small", scopes: ["ping"] })).text()).key as KeyJson;
    await expectError(
      await keyRoute.PATCH(apiRequest(`/api/public/keys/${mine.id}`, { key: manager.secret, method: "PATCH", body: { scopes: ["ping", "audit:read"] } }), params(mine.id)),
      403,
      "forbidden",
    );
    const wide = await makeKey(team, { name: "wide (dashboard)", scopes: ["ping", "audit:read"] });
    await expectError(await post(rotateRoute, "rotate", manager.secret, wide.key.id, { grace: "none" }), 403, "forbidden");
    const after = await keyCount(team.teamId);
    expect(after).toBe(before + 2);
  });

  it("keys:manage: never a default, given only by owners and admins (lib, SQL and a member's manager key)", async () => {
    const adminId = await createUser(t.db, `admin${Date.now()}@example.com`);
    await addMember(t.db, team.teamId, adminId, "admin");
    const adminActor: Actor = { userId: adminId, teamId: team.teamId, ip: "127.0.0.1" };
    const adminManager = await createKey(adminActor, { name: "admin manager", scopes: ["ping", "keys:manage"], ip_allowlist: [] });
    // The owner's manager key may give keys:manage (it has it and its creator is the owner).
    const sub = await create(manager.secret, { name: "sub-manager", scopes: ["keys:manage"] });
    expect(sub.status).toBe(201);

    // The admin becomes a member: their manager key still works, but cannot give keys:manage.
    await t.db.query("update public.team_members set role = 'member' where team_id = $1 and user_id = $2", [team.teamId, adminId]);
    await expectError(await create(adminManager.secret, { name: "escalate", scopes: ["keys:manage"] }), 403, "forbidden");
    const memberKey = JSON.parse(await (await create(adminManager.secret, { name: "member's own", scopes: ["ping"] })).text()).key as KeyJson;
    await expectError(
      await keyRoute.PATCH(apiRequest(`/api/public/keys/${memberKey.id}`, { key: adminManager.secret, method: "PATCH", body: { scopes: ["ping", "keys:manage"] } }), params(memberKey.id)),
      403,
      "forbidden",
    );
    await expect(createKey(adminActor, { name: "lib", scopes: ["keys:manage"], ip_allowlist: [] })).rejects.toMatchObject({ code: "forbidden" });
    // Through SQL as the member, past lib/keys: the trigger refuses it too.
    await expectSqlState(
      queryAs(t.db, adminId, "update public.api_keys set scopes = array['ping', 'keys:manage'] where id = $1", [memberKey.id]),
      "42501",
    );
    await expectSqlState(
      queryAs(
        t.db,
        adminId,
        "insert into public.api_keys (team_id, created_by, name, prefix, last4, scopes, rate_limit_per_minute) values ($1, auth.uid(), 'x', 'sk_live_zzzz', 'a1b2', array['keys:manage'], 10)",
        [team.teamId],
      ),
      "42501",
    );

    // A member's manager key sees the member's keys only, as the dashboard does: the owner's keys are 404.
    const list = JSON.parse(await (await keysRoute.GET(apiRequest("/api/public/keys?status=all&limit=100", { key: adminManager.secret }))).text()) as { data: KeyJson[] };
    expect(list.data.length).toBeGreaterThan(0);
    expect(list.data.every((k) => k.created_by === adminId)).toBe(true);
    await expectError(await keyRoute.GET(apiRequest(`/api/public/keys/${manager.id}`, { key: adminManager.secret }), params(manager.id)), 404, "not_found");
    await expectError(await post(revokeRoute, "revoke", adminManager.secret, manager.id), 404, "not_found");
    await t.db.query("delete from public.team_members where team_id = $1 and user_id = $2", [team.teamId, adminId]);
  });

  it("a key cannot see or act on another team's key (404), nor on a malformed id", async () => {
    const other = await makeTeam(t.db, "pro");
    const theirs = await makeKey(other, { name: "theirs" });
    setDbForTesting(t.db);
    for (const id of [theirs.key.id, "not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      await expectError(await keyRoute.GET(apiRequest(`/api/public/keys/${id}`, { key: manager.secret }), params(id)), 404, "not_found");
      await expectError(
        await keyRoute.PATCH(apiRequest(`/api/public/keys/${id}`, { key: manager.secret, method: "PATCH", body: { name: "mine now" } }), params(id)),
        404,
        "not_found",
      );
      for (const [route, path] of [[disableRoute, "disable"], [enableRoute, "enable"], [revokeRoute, "revoke"]] as const) {
        await expectError(await post(route, path, manager.secret, id), 404, "not_found");
      }
      await expectError(await post(rotateRoute, "rotate", manager.secret, id, { grace: "none" }), 404, "not_found");
    }
    const still = await t.db.query<{ revoked_at: Date | null; disabled_at: Date | null; name: string }>("select revoked_at, disabled_at, name from public.api_keys where id = $1", [
      theirs.key.id,
    ]);
    expect(still.rows[0]).toEqual({ revoked_at: null, disabled_at: null, name: "theirs" });
    const list = JSON.parse(await (await keysRoute.GET(apiRequest("/api/public/keys?status=all&limit=100", { key: manager.secret }))).text()) as { data: KeyJson[] };
    expect(list.data.map((k) => k.id)).not.toContain(theirs.key.id);
  });

  it("GET /keys pages with a cursor, filters by status and never shows a secret or hash", async () => {
    const list = async (q: string) => {
      const res = await keysRoute.GET(apiRequest(`/api/public/keys${q}`, { key: manager.secret }));
      expect(res.status).toBe(200);
      const text = await res.text();
      expectNoSecrets(text);
      return JSON.parse(text) as { data: KeyJson[]; next_cursor: string | null; limit: { used: number; max: number } };
    };
    const all = await list("?status=all&limit=100");
    expect(all.data.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?status=all&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((k) => k.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((k) => k.id));

    const target = all.data.find((k) => k.status === "active" && k.id !== manager.id)!;
    await post(disableRoute, "disable", manager.secret, target.id);
    const disabled = await list("?status=disabled");
    expect(disabled.data.map((k) => k.id)).toContain(target.id);
    expect(disabled.data.every((k) => k.status === "disabled")).toBe(true);
    expect((await list("?status=active&limit=100")).data.map((k) => k.id)).not.toContain(target.id);
    await expectError(await keysRoute.GET(apiRequest("/api/public/keys?status=bogus", { key: manager.secret })), 400, "invalid_request");
    await expectError(await keysRoute.GET(apiRequest("/api/public/keys?cursor=nope", { key: manager.secret })), 400, "invalid_request");
  });

  it("GET and PATCH one key: rename and settings through lib/keys, recorded with the acting key", async () => {
    const k = JSON.parse(await (await create(manager.secret, { name: "to edit", scopes: ["ping"] })).text()).key as KeyJson;
    const got = await keyRoute.GET(apiRequest(`/api/public/keys/${k.id}`, { key: manager.secret }), params(k.id));
    expect(await readJson(got)).toMatchObject({ id: k.id, name: "to edit" });
    const res = await keyRoute.PATCH(
      apiRequest(`/api/public/keys/${k.id}`, { key: manager.secret, method: "PATCH", body: { name: "edited", rate_limit_per_minute: 5, scopes: ["ping", "validate"] } }),
      params(k.id),
    );
    expect(res.status).toBe(200);
    expect(await readJson(res)).toMatchObject({ name: "edited", rate_limit_per_minute: 5, scopes: ["ping", "validate"] });
    const rows = (await activity(team.actor)).filter((e) => e.key_id === k.id);
    expect(rows.map((r) => r.action).sort()).toEqual(["key.created", "key.renamed", "key.settings_changed"]);
    expect(rows.every((r) => r.actor_key === `${manager.secret.slice(0, 12)}…${manager.secret.slice(-4)}`)).toBe(true);
    await expectError(await keyRoute.PATCH(apiRequest(`/api/public/keys/${k.id}`, { key: manager.secret, method: "PATCH", body: {} }), params(k.id)), 400, "invalid_request");
  });

  it("disable, enable, rotate (secret once, grace as in the dashboard) and revoke", async () => {
    const k = JSON.parse(await (await create(manager.secret, { name: "life", scopes: ["ping"] })).text()) as { secret: string; key: KeyJson };
    expect(await readJson(await post(disableRoute, "disable", manager.secret, k.key.id))).toMatchObject({ status: "disabled", disabled_reason: "admin" });
    expect((await ping(apiRequest("/api/public/ping", { key: k.secret }))).status).toBe(403);
    expect(await readJson(await post(enableRoute, "enable", manager.secret, k.key.id))).toMatchObject({ status: "active" });

    const rotated = await post(rotateRoute, "rotate", manager.secret, k.key.id, { grace: "1h" });
    expect(rotated.status).toBe(201);
    const text = await rotated.text();
    const r = JSON.parse(text) as { secret: string; key: KeyJson; previous: KeyJson & { grace_until: string } };
    expectNoSecrets(text, r.secret);
    expect(r.previous).toMatchObject({ id: k.key.id, status: "rotating", replaced_by_id: r.key.id });
    expect(Math.abs(Date.parse(r.previous.grace_until) - Date.now() - 3_600_000)).toBeLessThan(60_000);
    expect((await ping(apiRequest("/api/public/ping", { key: r.secret }))).status).toBe(200);
    expect((await ping(apiRequest("/api/public/ping", { key: k.secret }))).status).toBe(200);
    await expectError(await post(rotateRoute, "rotate", manager.secret, k.key.id, { grace: "none" }), 409, "conflict");
    await expectError(await post(rotateRoute, "rotate", manager.secret, r.key.id, { grace: "forever" }), 400, "invalid_request");

    expect(await readJson(await post(revokeRoute, "revoke", manager.secret, r.key.id))).toMatchObject({ status: "revoked" });
    expect((await ping(apiRequest("/api/public/ping", { key: r.secret }))).status).toBe(401);
    await expectError(await post(disableRoute, "disable", manager.secret, r.key.id), 409, "conflict");
    const actions = (await activity(team.actor)).filter((e) => e.key_id === k.key.id || e.key_id === r.key.id).map((e) => e.action);
    expect(actions.sort()).toEqual(["key.created", "key.disabled", "key.enabled", "key.revoked", "key.rotated"].sort());
  });

  it("a disabled manager key is refused as usual (403 key_disabled); a revoked one 401", async () => {
    const m = await createKey(team.actor, { name: "short-lived manager", scopes: MANAGER_SCOPES as never, ip_allowlist: [] });
    await setKeyEnabled(team.actor, m.key.id, false);
    await expectError(await create(m.secret, { name: "nope", scopes: ["ping"] }), 403, "key_disabled");
    await expectError(await keysRoute.GET(apiRequest("/api/public/keys", { key: m.secret })), 403, "key_disabled");
    await setKeyEnabled(team.actor, m.key.id, true);
    await post(revokeRoute, "revoke", manager.secret, m.key.id);
    await expectError(await create(m.secret, { name: "nope", scopes: ["ping"] }), 401, "invalid_api_key");
    await expectError(await meRoute.GET(apiRequest("/api/public/me", { key: m.secret })), 401, "invalid_api_key");
  });

  it("a key without keys:manage gets 403 insufficient_scope", async () => {
    const plain = await makeKey(team, { name: "plain", scopes: ["ping", "validate"] });
    await expectError(await create(plain.secret, { name: "nope", scopes: ["ping"] }), 403, "insufficient_scope");
    await expectError(await keysRoute.GET(apiRequest("/api/public/keys", { key: plain.secret })), 403, "insufficient_scope");
  });

  it("a key revoking itself is answered, then refused", async () => {
    const m = await createKey(team.actor, { name: "self-revoker", scopes: MANAGER_SCOPES as never, ip_allowlist: [] });
    const res = await post(revokeRoute, "revoke", m.secret, m.key.id);
    expect(res.status).toBe(200);
    expect(await readJson(res)).toMatchObject({ id: m.key.id, status: "revoked" });
    await expectError(await keysRoute.GET(apiRequest("/api/public/keys", { key: m.secret })), 401, "invalid_api_key");
    const row = (await activity(team.actor)).find((e) => e.key_id === m.key.id && e.action === "key.revoked");
    expect(row?.actor_key).toBe(`${m.secret.slice(0, 12)}…${m.secret.slice(-4)}`);
  });

  describe("Idempotency-Key", () => {
    it("a retried create answers the first answer and makes no second key; another body is a 400", async () => {
      const before = await keyCount(team.teamId);
      const headers = { "idempotency-key": `create-${Date.now()}` };
      const first = await create(manager.secret, { name: "idem", scopes: ["ping"] }, headers);
      expect(first.status).toBe(201);
      const a = (await readJson(first)) as unknown as { secret: string; key: KeyJson };
      const again = await create(manager.secret, { name: "idem", scopes: ["ping"] }, headers);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      const b = (await readJson(again)) as unknown as { secret: string; key: KeyJson };
      expect(b).toEqual(a);
      expect(await keyCount(team.teamId)).toBe(before + 1);
      const e = await expectError(await create(manager.secret, { name: "idem", scopes: ["validate"] }, headers), 400, "invalid_request");
      expect(e.error?.message).toContain("Idempotency-Key");
      expect(await keyCount(team.teamId)).toBe(before + 1);
      // The stored answer holds no secret in clear.
      const { rows } = await t.db.query<{ body: string }>("select response_body::text as body from public.api_idempotency where idempotency_key = $1", [headers["idempotency-key"]]);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.body).not.toContain(a.secret);
      expect(rows[0]!.body).not.toContain("sk_live_");
      // Another key with the same Idempotency-Key is another request.
      const other = await createKey(team.actor, { name: "other manager", scopes: MANAGER_SCOPES as never, ip_allowlist: [] });
      const c = await create(other.secret, { name: "idem", scopes: ["ping"] }, headers);
      expect(c.status).toBe(201);
      expect(c.headers.get("idempotent-replayed")).toBeNull();
    });

    it("concurrent retries of one create make one key", async () => {
      const before = await keyCount(team.teamId);
      const headers = { "idempotency-key": `burst-${Date.now()}` };
      const answers = await Promise.all(Array.from({ length: 8 }, () => create(manager.secret, { name: "burst", scopes: ["ping"] }, headers)));
      expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
      const bodies = await Promise.all(answers.map(async (r) => ((await r.json()) as { key: KeyJson; secret: string })));
      expect(new Set(bodies.map((b) => b.key.id)).size).toBe(1);
      expect(new Set(bodies.map((b) => b.secret)).size).toBe(1);
      expect(answers.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(7);
      expect(await keyCount(team.teamId)).toBe(before + 1);
    });

    it("a refusal is stored and replayed too; a revoke retried is replayed; bad keys are a 400", async () => {
      const headers = { "idempotency-key": `refused-${Date.now()}` };
      await expectError(await create(manager.secret, { name: "x", scopes: ["audit:write"] }, headers), 403, "forbidden");
      const replay = await create(manager.secret, { name: "x", scopes: ["audit:write"] }, headers);
      await expectError(replay, 403, "forbidden");
      expect(replay.headers.get("idempotent-replayed")).toBe("true");

      const k = JSON.parse(await (await create(manager.secret, { name: "revoke twice", scopes: ["ping"] })).text()).key as KeyJson;
      const h = { "idempotency-key": `revoke-${k.id}` };
      const r1 = await post(revokeRoute, "revoke", manager.secret, k.id, undefined, h);
      const r2 = await post(revokeRoute, "revoke", manager.secret, k.id, undefined, h);
      expect([r1.status, r2.status]).toEqual([200, 200]);
      expect(r2.headers.get("idempotent-replayed")).toBe("true");
      expect((await activity(team.actor)).filter((e) => e.key_id === k.id && e.action === "key.revoked")).toHaveLength(1);
      // Same Idempotency-Key on another path is another request: 400.
      await expectError(await post(disableRoute, "disable", manager.secret, k.id, undefined, h), 400, "invalid_request");

      await expectError(await create(manager.secret, { name: "x", scopes: ["ping"] }, { "idempotency-key": "has space" }), 400, "invalid_request");
      await expectError(await create(manager.secret, { name: "x", scopes: ["ping"] }, { "idempotency-key": "x".repeat(256) }), 400, "invalid_request");
    });
  });

  it("the plan's key limit holds across the dashboard and the API at once, with the dashboard's message", async () => {
    const free = await makeTeam(t.db, "free");
    const m = await createKey(free.actor, { name: "free manager", scopes: MANAGER_SCOPES as never, ip_allowlist: [] });
    // Free allows 2 keys: the manager is one; six creators race for the last slot.
    const viaApi = Array.from({ length: 3 }, (_, i) => create(m.secret, { name: `api-${i}`, scopes: ["ping"] }));
    const viaDashboard = Array.from({ length: 3 }, (_, i) =>
      createKey(free.actor, { name: `dash-${i}`, scopes: ["ping"], ip_allowlist: [] }).then(
        () => null,
        (e: { code?: string; message: string }) => e,
      ),
    );
    const [apiAnswers, dashErrors] = await Promise.all([Promise.all(viaApi), Promise.all(viaDashboard)]);
    const created = apiAnswers.filter((r) => r.status === 201).length + dashErrors.filter((e) => e === null).length;
    expect(created).toBe(1);
    expect(await keyCount(free.teamId)).toBe(2);
    const apiRefusals = await Promise.all(apiAnswers.filter((r) => r.status !== 201).map((r) => readJson(r)));
    const dashRefusals = dashErrors.filter((e) => e !== null);
    const messages = new Set([...apiRefusals.map((b) => b.error?.message), ...dashRefusals.map((e) => e!.message)]);
    expect(messages.size).toBe(1);
    expect([...messages][0]).toMatch(/^Your team has 2 of 2 keys allowed on the Free plan\./);
    expect(apiRefusals.every((b) => b.error?.code === "limit_reached")).toBe(true);
  });
});
