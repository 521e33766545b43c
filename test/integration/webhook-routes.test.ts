// The webhook dashboard routes over HTTP semantics: real route handlers, real sessions (the
// built-in provider's session table), real database. Only Next's request-scope accessors
// (`cookies()`, `headers()` from next/headers) are stood in for, reading the Request the test
// passes, because outside Next's server they have no request to read.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const scope = vi.hoisted(() => ({ req: null as Request | null }));
vi.mock("next/headers", () => {
  const cookieMap = () => {
    const raw = scope.req?.headers.get("cookie") ?? "";
    return new Map(raw.split(/;\s*/).filter(Boolean).map((c) => [c.slice(0, c.indexOf("=")), c.slice(c.indexOf("=") + 1)] as const));
  };
  return {
    headers: async () => new Headers(scope.req?.headers),
    cookies: async () => ({
      get: (name: string) => {
        const value = cookieMap().get(name);
        return value === undefined ? undefined : { name, value };
      },
      set: () => {},
      delete: () => {},
    }),
  };
});

import { GET as listDeliveriesRoute } from "@/app/api/webhooks/deliveries/route";
import { POST as resendRoute } from "@/app/api/webhooks/deliveries/[deliveryId]/resend/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/webhooks/endpoints/[endpointId]/route";
import { POST as disableRoute } from "@/app/api/webhooks/endpoints/[endpointId]/disable/route";
import { POST as enableRoute } from "@/app/api/webhooks/endpoints/[endpointId]/enable/route";
import { POST as rotateRoute } from "@/app/api/webhooks/endpoints/[endpointId]/rotate/route";
import { POST as testRoute } from "@/app/api/webhooks/endpoints/[endpointId]/test/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/webhooks/endpoints/route";
import { POST as replayRoute } from "@/app/api/webhooks/replay/route";
import { GET as getThresholds, PUT as putThresholds } from "@/app/api/webhooks/thresholds/route";
import { createSession } from "@/lib/auth/builtin";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { setDbForTesting } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { makeTeam, type TeamFixture } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";
import { addMember, createUser } from "../fixtures";

type Handler<P> = (req: Request, route: { params: Promise<P> }) => Promise<Response>;
interface Envelope {
  error?: { code: string; message: string; request_id: string; details?: Array<{ path: string; message: string }> };
  [k: string]: unknown;
}

function setAllowPrivate(on: boolean) {
  process.env.WEBHOOKS_ALLOW_PRIVATE = on ? "true" : "false";
  resetEnvCache();
}

describe.each(testDatabases())("webhook dashboard routes on $name", ({ open }) => {
  let t: TestDatabase;
  let owner: TeamFixture;
  let other: TeamFixture;
  const cookie: Record<string, string> = {};

  /** Calls a route handler as `who` (a session cookie, or none) and returns status, headers and JSON. */
  async function call<P extends Record<string, string>>(
    handler: Handler<P>,
    who: string | null,
    opts: { method?: string; path?: string; params?: P; body?: unknown; rawBody?: string; contentType?: string | null } = {},
  ): Promise<{ status: number; headers: Headers; body: Envelope }> {
    // As the portal's own pages send it: same-origin, and writes always carry a JSON body (`{}` at least).
    const headers = new Headers({ "x-llavero-socket-ip": "127.0.0.1", "sec-fetch-site": "same-origin" });
    if (who) headers.set("cookie", `${SESSION_COOKIE}=${cookie[who]}`);
    if (opts.method && opts.method !== "GET" && opts.body === undefined && opts.rawBody === undefined) opts = { ...opts, body: {} };
    const hasBody = opts.body !== undefined || opts.rawBody !== undefined;
    if (hasBody && opts.contentType !== null) headers.set("content-type", opts.contentType ?? "application/json");
    const req = new Request(`http://localhost${opts.path ?? "/api/webhooks"}`, {
      method: opts.method ?? (hasBody ? "POST" : "GET"),
      headers,
      body: hasBody ? (opts.rawBody ?? JSON.stringify(opts.body)) : undefined,
    });
    scope.req = req;
    const res = await handler(req, { params: Promise.resolve((opts.params ?? {}) as P) });
    scope.req = null;
    return { status: res.status, headers: res.headers, body: (await res.json()) as Envelope };
  }

  async function signedIn(name: string, userId: string) {
    cookie[name] = (await createSession(userId)).token;
  }

  beforeAll(async () => {
    setAllowPrivate(true);
    t = await open();
    setDbForTesting(t.db);
    owner = await makeTeam(t.db);
    other = await makeTeam(t.db);
    await signedIn("owner", owner.ownerId);
    await signedIn("other", other.ownerId);
    const admin = await createUser(t.db, `admin${Date.now()}@example.com`);
    const member = await createUser(t.db, `member${Date.now()}@example.com`);
    await addMember(t.db, owner.teamId, admin, "admin");
    await addMember(t.db, owner.teamId, member, "member");
    // New members' current team is their own; point them at the owner's team.
    await t.db.query("update public.profiles set current_team_id = $1 where id = any($2::uuid[])", [owner.teamId, [admin, member]]);
    await signedIn("admin", admin);
    await signedIn("member", member);
  });

  afterAll(async () => {
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    resetEnvCache();
    await t?.dispose();
  });

  it("refuses without a session (401) and refuses members (403), in the envelope with a request id", async () => {
    const anon = await call(listRoute, null);
    expect(anon.status).toBe(401);
    expect(anon.body.error?.code).toBe("unauthorized");
    expect(anon.headers.get("x-request-id")).toBe(anon.body.error?.request_id);
    for (const res of [await call(listRoute, "member"), await call(createRoute, "member", { body: { url: "http://127.0.0.1:9/x" } }), await call(getThresholds, "member")]) {
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe("forbidden");
    }
    expect((await call(listRoute, "admin")).status).toBe(200);
  });

  it("creates an endpoint (secret once), lists it without the secret, edits it, and another team cannot see it", async () => {
    const created = await call(createRoute, "owner", { body: { url: "http://127.0.0.1:9/hook", description: "first", event_types: ["audit.completed"] } });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const id = (created.body.endpoint as { id: string }).id;

    const list = await call(listRoute, "owner");
    expect(list.status).toBe(200);
    expect(list.body.allow_private).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(6));
    expect((list.body.endpoints as Array<{ id: string }>).map((e) => e.id)).toEqual([id]);

    const patched = await call(patchRoute, "admin", { method: "PATCH", params: { endpointId: id }, body: { description: "edited", event_types: ["key.revoked", "key.disabled"] } });
    expect(patched.status).toBe(200);
    expect(patched.body.endpoint).toMatchObject({ id, url: "http://127.0.0.1:9/hook", description: "edited", event_types: ["key.revoked", "key.disabled"] });
    const got = await call(getRoute, "owner", { params: { endpointId: id } });
    expect(got.body.endpoint).toMatchObject({ description: "edited" });

    // Another team: the same 404 as an id that does not exist; a malformed id too.
    for (const [who, endpointId] of [["other", id], ["owner", "00000000-0000-4000-8000-000000000000"], ["owner", "not-a-uuid"]] as const) {
      const res = await call(getRoute, who, { params: { endpointId } });
      expect(res.status, `${who} ${endpointId}`).toBe(404);
      expect(res.body.error?.code).toBe("not_found");
    }
    const foreignPatch = await call(patchRoute, "other", { method: "PATCH", params: { endpointId: id }, body: { description: "hijack" } });
    expect(foreignPatch.status).toBe(404);
    expect((await call(getRoute, "owner", { params: { endpointId: id } })).body.endpoint).toMatchObject({ description: "edited" });
    expect((await call(listRoute, "other")).body.endpoints).toEqual([]);
  });

  it("bad input is a 4xx with details, never a 500: media type, JSON, URL rules, unknown events", async () => {
    const noType = await call(createRoute, "owner", { rawBody: '{"url":"https://example.com"}', contentType: "text/plain" });
    // A write that is not JSON is refused before anything else as a possible cross-site form post
    // (issue 9: JSON required, 403), whatever else the body holds.
    expect(noType.status).toBe(403);
    expect(noType.body.error?.code).toBe("cross_site_request");
    const jsonx = await call(createRoute, "owner", { rawBody: '{"url":"https://example.com"}', contentType: "application/jsonx" });
    expect(jsonx.status).toBe(403);
    const badJson = await call(createRoute, "owner", { rawBody: "{nope" });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error?.details).toEqual([{ path: "(body)", message: "Invalid JSON." }]);
    const notUrl = await call(createRoute, "owner", { body: { url: "not a url" } });
    expect(notUrl.status).toBe(400);
    expect(notUrl.body.error?.details?.[0]?.path).toBe("url");
    const badEvent = await call(createRoute, "owner", { body: { url: "https://example.com/h", event_types: ["audit.started"] } });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.error?.details?.[0]?.path).toMatch(/^event_types/);

    // With private addresses refused (the default), loopback and plain http are refused at
    // create and at edit, on the url field, and the stored endpoint is unchanged.
    const created = await call(createRoute, "owner", { body: { url: "http://127.0.0.1:9/before" } });
    const id = (created.body.endpoint as { id: string }).id;
    setAllowPrivate(false);
    try {
      for (const url of ["https://127.1/", "https://[::ffff:127.0.0.1]/", "https://169.254.169.254/latest", "http://example.com/"]) {
        const res = await call(createRoute, "owner", { body: { url } });
        expect(res.status, url).toBe(400);
        expect(res.body.error?.details?.[0]?.path, url).toBe("url");
        const edit = await call(patchRoute, "owner", { method: "PATCH", params: { endpointId: id }, body: { url } });
        expect(edit.status, url).toBe(400);
      }
    } finally {
      setAllowPrivate(true);
    }
    expect((await call(getRoute, "owner", { params: { endpointId: id } })).body.endpoint).toMatchObject({ url: "http://127.0.0.1:9/before" });
    await call(deleteRoute, "owner", { method: "DELETE", params: { endpointId: id } });
  });

  it("disable, enable, rotate (a new secret once) and a test event, then the delivery log with its filters", async () => {
    const created = await call(createRoute, "owner", { body: { url: "http://127.0.0.1:9/ops" } });
    const id = (created.body.endpoint as { id: string }).id;
    const first = created.body.secret as string;

    expect((await call(disableRoute, "owner", { method: "POST", params: { endpointId: id } })).body.endpoint).toMatchObject({ enabled: false, disabled_reason: "user" });
    expect((await call(enableRoute, "admin", { method: "POST", params: { endpointId: id } })).body.endpoint).toMatchObject({ enabled: true, disabled_reason: null });

    const rotated = await call(rotateRoute, "owner", { method: "POST", params: { endpointId: id } });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(first);

    const sent = await call(testRoute, "owner", { method: "POST", params: { endpointId: id } });
    expect(sent.status).toBe(202);
    expect(sent.body.event_id).toMatch(/^msg_/);

    // Blank filters (a select left on "All") are the same as absent ones.
    const all = await call(listDeliveriesRoute, "owner", { path: `/api/webhooks/deliveries?endpoint_id=${id}&status=&event_type=` });
    expect(all.status).toBe(200);
    const rows = all.body.deliveries as Array<{ id: number; event_id: string; event_type: string; status: string }>;
    expect(rows).toEqual([expect.objectContaining({ event_id: sent.body.event_id, event_type: "webhook.test", status: "pending" })]);
    expect((await call(listDeliveriesRoute, "owner", { path: `/api/webhooks/deliveries?endpoint_id=${id}&status=failed` })).body.deliveries).toEqual([]);
    expect((await call(listDeliveriesRoute, "other", { path: "/api/webhooks/deliveries" })).body.deliveries).toEqual([]);
    for (const q of ["status=bogus", "limit=0", "endpoint_id=nope"]) {
      const res = await call(listDeliveriesRoute, "owner", { path: `/api/webhooks/deliveries?${q}` });
      expect(res.status, q).toBe(400);
      expect(res.body.error?.code, q).toBe("invalid_request");
      expect(res.body.error?.details?.length, q).toBeGreaterThan(0);
    }

    expect((await call(resendRoute, "owner", { method: "POST", params: { deliveryId: String(rows[0]!.id) } })).status).toBe(202);
    for (const [who, deliveryId] of [["other", String(rows[0]!.id)], ["owner", "abc"], ["owner", "99999999"]] as const) {
      expect((await call(resendRoute, who, { method: "POST", params: { deliveryId } })).status, `${who} ${deliveryId}`).toBe(404);
    }
    const replay = await call(replayRoute, "owner", { body: { since: new Date(Date.now() - 3_600_000).toISOString() } });
    expect(replay.status).toBe(202);
    expect(replay.body.queued).toBe(0); // nothing has failed
    expect((await call(replayRoute, "owner", { body: { since: "yesterday" } })).status).toBe(400);

    const deleted = await call(deleteRoute, "owner", { method: "DELETE", params: { endpointId: id } });
    expect(deleted.body).toEqual({ deleted: true });
    expect((await call(getRoute, "owner", { params: { endpointId: id } })).status).toBe(404);
  });

  it("thresholds: read, save, refuse out-of-range values", async () => {
    expect((await call(getThresholds, "owner")).body).toEqual({ builtin: [80, 100], percents: [] });
    const saved = await call(putThresholds, "owner", { method: "PUT", body: { percents: [90, 50] } });
    expect(saved.status).toBe(200);
    expect(saved.body.percents).toEqual([50, 90]);
    const bad = await call(putThresholds, "owner", { method: "PUT", body: { percents: [0] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details?.[0]?.path).toMatch(/^percents/);
    expect((await call(getThresholds, "other")).body.percents).toEqual([]);
  });
});
