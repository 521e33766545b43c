import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as jwksGet, POST as jwksPost } from "@/app/api/public/jwks.json/route";
import { GET as licenseGet, POST as licensePost } from "@/app/api/public/license/route";
import { GET as subscriptionGet } from "@/app/api/public/subscription/route";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { rotateSigningKey } from "@/lib/billing/license";
import { startCheckout } from "@/lib/billing/sessions";
import { setDbForTesting } from "@/lib/db";
import { KEY_SCOPES, type KeyScope } from "@/lib/keys/key-input.schema";
import { createKey } from "@/lib/keys/lifecycle";
import { flushCallLog } from "@/lib/public-api/call-log";
import { siteOrigin } from "@/lib/site-url";
import { apiRequest, readJson } from "../api-fixtures";
import { billingTeam, eventsFor, postWebhook, startBillingHarness, type BillingHarness } from "../billing-harness";
import { testDatabases, type TestDatabase } from "../databases";

/**
 * The subscription, license and JWKS endpoints through their route exports (Request in,
 * Response out, as Next calls them): any key of the team, whatever its scope, unmetered; the
 * token checked with jose against the JWKS the route serves.
 */
describe.each(testDatabases())("subscription and license endpoints on $name", ({ open }) => {
  let t: TestDatabase;
  let h: BillingHarness;
  let f: Awaited<ReturnType<typeof billingTeam>>;
  const keys = {} as Record<KeyScope, string>;

  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
    h = await startBillingHarness();
    f = await billingTeam(t.db);
    // One key per scope, each holding only that scope; Free allows two keys, Pro the rest.
    for (const scope of FREE_KEYS) await addKey(scope);
  });
  afterAll(async () => {
    await flushCallLog();
    await h?.close();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  const FREE_KEYS = ["ping", "audit:write"] as const;
  async function addKey(scope: KeyScope) {
    keys[scope] = (await createKey({ userId: f.owner, teamId: f.teamId, ip: "127.0.0.1" }, { name: `only ${scope}`, scopes: [scope], ip_allowlist: [] })).secret;
  }
  const calls = async () => {
    const r = await t.db.query<{ calls: number; overage: number }>("select coalesce(sum(calls), 0)::int as calls, coalesce(sum(overage), 0)::int as overage from public.team_usage where team_id = $1", [f.teamId]);
    return r.rows[0]!;
  };
  const subscription = async (key: string) => {
    const res = await subscriptionGet(apiRequest("/api/public/subscription", { key }));
    return { res, body: await readJson(res) };
  };
  const served = async (): Promise<JSONWebKeySet> => {
    const res = await jwksGet(apiRequest("/api/public/jwks.json"));
    expect(res.status).toBe(200);
    return (await res.json()) as JSONWebKeySet;
  };

  async function subscribePro() {
    const url = await startCheckout({ stripe: h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan: "pro" });
    await fetch(`${url}/pay`, { method: "POST", redirect: "manual" });
    const sub = [...h.standin.store.subscriptions.values()].at(-1)!;
    for (const e of eventsFor(h.standin, sub.id)) await postWebhook(webhook, e);
    return sub.id as string;
  }

  it("answers Free, then trialing, then past_due, to a key of any scope, without counting the calls", async () => {
    const before = await calls();
    for (const scope of FREE_KEYS) {
      const { res, body } = await subscription(keys[scope]);
      expect(res.status, scope).toBe(200);
      expect(body, scope).toEqual({
        plan: { id: "free", name: "Free", price: 0, currency: "USD" },
        status: "free",
        is_in_trial: false,
        trial_days_remaining: 0,
        trial_ends_at: null,
        current_period_end: null,
        days_until_expiry: null,
        cancel_at_period_end: false,
        needs_payment: false,
      });
      expect(res.headers.get("x-quota-limit"), scope).toBe("100");
    }

    const subId = await subscribePro();
    for (const scope of KEY_SCOPES) if (!keys[scope]) await addKey(scope);
    for (const scope of KEY_SCOPES) {
      const trialing = await subscription(keys[scope]);
      expect(trialing.res.status, scope).toBe(200);
      expect(trialing.body, scope).toMatchObject({ status: "trialing" });
    }
    const trialing = await subscription(keys.validate);
    expect(trialing.body).toMatchObject({ plan: { id: "pro", name: "Pro", price: 29, currency: "USD" }, status: "trialing", is_in_trial: true, trial_days_remaining: 15, days_until_expiry: 15, cancel_at_period_end: false, needs_payment: false });
    expect(new Date(trialing.body.trial_ends_at as string).getTime()).toBeGreaterThan(Date.now() + 14 * 86_400_000);

    await fetch(`${h.standin.url}/_standin/subscriptions/${subId}/payment_failed`, { method: "POST" });
    await postWebhook(webhook, eventsFor(h.standin, subId, "invoice.payment_failed").at(-1)!);
    const pastDue = await subscription(keys["audit:read"]);
    expect(pastDue.res.status).toBe(200);
    expect(pastDue.body).toMatchObject({ plan: { id: "pro" }, status: "past_due", is_in_trial: false, needs_payment: true });

    expect(await calls()).toEqual(before);
  });

  it("refuses a missing or wrong key, and other methods", async () => {
    const none = await subscriptionGet(apiRequest("/api/public/subscription"));
    expect(none.status).toBe(401);
    expect((await readJson(none)).error?.code).toBe("missing_api_key");
    const lic = await licensePost(apiRequest("/api/public/license", { method: "POST", key: "sk_live_" + "A".repeat(38) }));
    expect(lic.status).toBe(401);
    expect((await licenseGet(apiRequest("/api/public/license", { key: keys.ping }))).status).toBe(405);
    const post = await jwksPost(apiRequest("/api/public/jwks.json", { method: "POST" }));
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("issues a license token that verifies against the served JWKS; tampered and expired tokens are refused; unmetered", async () => {
    const before = await calls();
    const res = await licensePost(apiRequest("/api/public/license", { method: "POST", key: keys["audit:write"] }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expires_at: string; jti: string };
    expect(Object.keys(body).sort()).toEqual(["expires_at", "jti", "token"]);
    expect(await calls()).toEqual(before);

    const jwksRes = await jwksGet(apiRequest("/api/public/jwks.json"));
    expect(jwksRes.headers.get("cache-control")).toBe("public, max-age=300");
    const set = (await jwksRes.json()) as JSONWebKeySet;
    expect(JSON.stringify(set)).not.toMatch(/"d":/);
    const jwks = createLocalJWKSet(set);
    const { payload, protectedHeader } = await jwtVerify(body.token, jwks, { issuer: siteOrigin() });
    expect(protectedHeader).toMatchObject({ alg: "EdDSA", typ: "JWT" });
    expect(set.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    // The team is past_due inside its grace period (previous test): the plan still applies.
    expect(payload).toMatchObject({ sub: f.teamId, jti: body.jti, plan: "pro", status: "past_due", limits: { monthly_calls: 2000, overage_allowed: true } });
    expect(new Date(body.expires_at).getTime()).toBe(payload.exp! * 1000);
    expect(payload.exp! - payload.iat!).toBe(86_400);

    const [head, , sig] = body.token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...payload, plan: "business" })).toString("base64url");
    await expect(jwtVerify(`${head}.${forged}.${sig}`, jwks)).rejects.toMatchObject({ code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
    const flipped = sig!.slice(0, -2) + (sig!.endsWith("AA") ? "BB" : "AA");
    await expect(jwtVerify(`${head}.${body.token.split(".")[1]}.${flipped}`, jwks)).rejects.toThrow();
    // 25 hours on, the same token is expired.
    await expect(jwtVerify(body.token, jwks, { currentDate: new Date(Date.now() + 25 * 3600 * 1000) })).rejects.toMatchObject({ code: "ERR_JWT_EXPIRED" });
    expect(decodeJwt(body.token).sub).toBe(f.teamId);
  });

  it("after a rotation the JWKS serves both keys, so tokens signed before it still verify", async () => {
    const old = (await (await licensePost(apiRequest("/api/public/license", { method: "POST", key: keys.ping }))).json()) as { token: string };
    await rotateSigningKey(t.db);
    const fresh = (await (await licensePost(apiRequest("/api/public/license", { method: "POST", key: keys.ping }))).json()) as { token: string };
    const set = await served();
    expect(set.keys.length).toBeGreaterThanOrEqual(2);
    const jwks = createLocalJWKSet(set);
    const a = await jwtVerify(old.token, jwks);
    const b = await jwtVerify(fresh.token, jwks);
    expect(a.protectedHeader.kid).not.toBe(b.protectedHeader.kid);
  });
});
