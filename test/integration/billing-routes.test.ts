import { describe, expect, it, vi } from "vitest";
import { POST as checkoutPost } from "@/app/api/billing/checkout/route";
import { POST as portalPost } from "@/app/api/billing/portal/route";
import { createSession } from "@/lib/auth/builtin";
import { billingTeam, useBillingSuite } from "../billing-harness";
import { testDatabases } from "../databases";

// The request's cookies and headers, as Next would hand them to the route: a real session
// token from the database, nothing else faked.
const jar = vi.hoisted(() => ({ token: null as string | null }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (name === "llavero_session" && jar.token ? { name, value: jar.token } : undefined),
    getAll: () => (jar.token ? [{ name: "llavero_session", value: jar.token }] : []),
    set: () => {},
    delete: () => {},
  }),
  headers: async () => new Headers({ host: "localhost:3000", "x-llavero-socket-ip": "127.0.0.1" }),
}));

/** Checkout and the portal through their route handlers (session → dashboardRoute → lib → 303 or the envelope). */
describe.each(testDatabases())("billing routes on $name", ({ open }) => {
  const suite = useBillingSuite(open, { beforeClose: async () => { jar.token = null; } });

  async function as(userId: string | null) {
    jar.token = userId ? (await createSession(userId)).token : null;
  }
  const form = (plan: string) =>
    new Request("http://localhost:3000/api/billing/checkout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" }, body: `plan=${plan}` });
  const portal = () => new Request("http://localhost:3000/api/billing/portal", { method: "POST", headers: { "sec-fetch-site": "same-origin" } });
  const params = { params: Promise.resolve({}) };
  const customers = async (teamId: string) => Number((await suite.t.db.query<{ n: string }>("select count(*) as n from public.team_billing where team_id = $1", [teamId])).rows[0]!.n);

  it("answers 403 to an admin and a member (nothing created in Stripe or here), 401 signed out, and 303 to Stripe for the owner", async () => {
    const f = await billingTeam(suite.t.db);
    const sessionsBefore = suite.h.standin.store.checkoutSessions.size;
    for (const who of [f.admin, f.member]) {
      await as(who);
      for (const res of [await checkoutPost(form("pro"), params), await portalPost(portal(), params)]) {
        expect(res.status).toBe(403);
        const body = (await res.json()) as { error: { code: string; request_id: string } };
        expect(body.error.code).toBe("forbidden");
        expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
      }
    }
    expect(suite.h.standin.store.checkoutSessions.size).toBe(sessionsBefore);
    expect(await customers(f.teamId)).toBe(0);

    await as(null);
    expect((await checkoutPost(form("pro"), params)).status).toBe(401);

    await as(f.owner);
    // No customer yet: nothing to manage.
    expect((await portalPost(portal(), params)).status).toBe(409);
    expect((await checkoutPost(form("free"), params)).status).toBe(400);
    const bad = await checkoutPost(new Request("http://localhost:3000/api/billing/checkout", { method: "POST", headers: { "content-type": "text/plain", "sec-fetch-site": "same-origin" }, body: "pro" }), params);
    expect(bad.status).toBe(415);
    const res = await checkoutPost(form("pro"), params);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`^${suite.h.standin.url}/checkout/cs_test_`));
    const json = await checkoutPost(
      new Request("http://localhost:3000/api/billing/checkout", { method: "POST", headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" }, body: JSON.stringify({ plan: "business" }) }),
      params,
    );
    expect(json.status).toBe(303);
    expect(await customers(f.teamId)).toBe(1);
    const p = await portalPost(portal(), params);
    expect(p.status).toBe(303);
    expect(p.headers.get("location")).toMatch(new RegExp(`^${suite.h.standin.url}/portal/`));
  });
});
