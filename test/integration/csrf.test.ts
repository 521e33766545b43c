import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as listKeys, POST as createKey } from "@/app/api/keys/route";
import { PATCH as patchKey } from "@/app/api/keys/[keyId]/route";
import { POST as revoke } from "@/app/api/keys/[keyId]/revoke/route";
import { POST as disable } from "@/app/api/keys/[keyId]/disable/route";
import { setDbForTesting } from "@/lib/db";
import { callRoute, dashboardRequest, sessionFor } from "../dashboard-fixtures";
import { makeKey, makeTeam, readJson, type TeamFixture } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";

vi.mock("next/headers", () => import("../next-request-scope"));

// Item 1 of issue 9: a cookie-authenticated write must come from the portal's pages.
describe.each(testDatabases())("CSRF on the dashboard JSON routes ($name)", (factory) => {
  let t: TestDatabase;
  let team: TeamFixture;
  let session: string;

  beforeAll(async () => {
    t = await factory.open();
    setDbForTesting(t.db);
    team = await makeTeam(t.db, "business");
    session = await sessionFor(team.ownerId);
  });
  afterAll(async () => {
    setDbForTesting(undefined);
    await t.dispose();
  });

  const keyState = async (id: string) =>
    (await t.db.query<{ revoked: boolean; disabled: boolean; name: string }>(
      "select revoked_at is not null as revoked, disabled_at is not null as disabled, name from public.api_keys where id = $1",
      [id],
    )).rows[0]!;

  const refused = async (res: Response) => {
    expect(res.status).toBe(403);
    const body = await readJson(res);
    expect(body.error?.code).toBe("cross_site_request");
    expect(body.error?.request_id).toBe(res.headers.get("x-request-id"));
  };

  it("refuses a revoke from a foreign Origin, a form body, a same-site page or no origin at all; the key stays active", async () => {
    const { key } = await makeKey(team);
    const path = `/api/keys/${key.id}/revoke`;
    const attempts = [
      dashboardRequest(path, { session, origin: "https://evil.example", body: {} }),
      dashboardRequest(path, { session, origin: "https://evil.example", rawBody: "x=1", contentType: "application/x-www-form-urlencoded" }),
      // The attack: a plain form from a sibling port carries a SameSite=Lax cookie.
      dashboardRequest(path, { session, origin: "http://127.0.0.1:9", fetchSite: "same-site", rawBody: "x=1", contentType: "application/x-www-form-urlencoded" }),
      dashboardRequest(path, { session, fetchSite: "cross-site", body: {} }),
      dashboardRequest(path, { session, origin: null, body: {} }),
      dashboardRequest(path, { session, origin: "null", body: {} }),
      // Right origin, but a body an HTML form can send.
      dashboardRequest(path, { session, rawBody: "x=1", contentType: "application/x-www-form-urlencoded" }),
      dashboardRequest(path, { session, rawBody: "{}", contentType: "text/plain" }),
      dashboardRequest(path, { session, fetchSite: "same-origin", rawBody: "", contentType: "multipart/form-data; boundary=x" }),
      dashboardRequest(path, { method: "POST", session }),
    ];
    for (const [i, req] of attempts.entries()) {
      const res = await callRoute(revoke, req, { keyId: key.id });
      expect(res.status, `attempt ${i}`).toBe(403);
      await refused(res);
    }
    expect(await keyState(key.id)).toMatchObject({ revoked: false });

    // The portal's own fetch: same-origin, JSON `{}`.
    const ok = await callRoute(revoke, dashboardRequest(path, { session, fetchSite: "same-origin", origin: null, body: {} }), { keyId: key.id });
    expect(ok.status).toBe(200);
    expect(await keyState(key.id)).toMatchObject({ revoked: true });
  });

  it("refuses create, rename and disable from another origin and changes nothing; reads stay open to the session", async () => {
    const { key } = await makeKey(team, { name: "Kept name" });
    const before = (await t.db.query("select count(*)::int as n from public.api_keys")).rows[0];
    await refused(await callRoute(createKey, dashboardRequest("/api/keys", { session, origin: "https://evil.example", body: { name: "x", scopes: ["ping"] } })));
    await refused(
      await callRoute(patchKey, dashboardRequest(`/api/keys/${key.id}`, { method: "PATCH", session, origin: "https://evil.example", body: { name: "Stolen" } }), { keyId: key.id }),
    );
    await refused(await callRoute(disable, dashboardRequest(`/api/keys/${key.id}/disable`, { session, fetchSite: "same-site", body: {} }), { keyId: key.id }));
    expect((await t.db.query("select count(*)::int as n from public.api_keys")).rows[0]).toEqual(before);
    expect(await keyState(key.id)).toEqual({ revoked: false, disabled: false, name: "Kept name" });

    const list = await callRoute(listKeys, dashboardRequest("/api/keys", { session, origin: "https://evil.example" }));
    expect(list.status).toBe(200);
  });

  it("the revoke body must be exactly {}", async () => {
    const { key } = await makeKey(team);
    const res = await callRoute(revoke, dashboardRequest(`/api/keys/${key.id}/revoke`, { session, body: { force: true } }), { keyId: key.id });
    expect(res.status).toBe(400);
    expect(await keyState(key.id)).toMatchObject({ revoked: false });
  });
});
