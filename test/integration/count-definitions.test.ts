// Issue 13, items 3 and 4: one meaning per number. A known mix of admitted and refused calls,
// then every page's data function and every API answer that shows a count, checked against the
// definitions in lib/usage/definitions.ts. And overage counted at the time of each call under the
// plan then in force, through downgrades and upgrades, worded per billing mode.
import { describe, expect, it } from "vitest";
import { GET as audit } from "@/app/api/public/audit/route";
import { GET as listKeysApi } from "@/app/api/public/keys/route";
import { GET as me } from "@/app/api/public/me/route";
import { GET as ping } from "@/app/api/public/ping/route";
import { POST as validate } from "@/app/api/public/validate/route";
import { collectOverage } from "@/lib/billing/overage";
import { getBillingOverview } from "@/lib/billing/overview";
import { getKey } from "@/lib/keys/key-queries";
import { listKeys } from "@/lib/keys/lifecycle";
import { flushCallLog } from "@/lib/public-api/call-log";
import { applyPlan } from "@/lib/teams/teams";
import { exportCallsCsv } from "@/lib/usage/export";
import { usageSummary } from "@/lib/usage/queries";
import { quotaSentences } from "@/lib/usage/quota-text";
import { apiRequest, makeKey, makeTeam, readJson, type TeamFixture } from "../api-fixtures";
import { testDatabases, useAppDatabase } from "../databases";

describe.each(testDatabases())("call counts on $name", ({ open }) => {
  const suite = useAppDatabase(open, { beforeClose: flushCallLog });

  const status = (r: Response) => r.status;

  it("every page and API answer agrees with the definitions for a known mix of admitted and refused calls", async () => {
    const team: TeamFixture = await makeTeam(suite.db, "pro");
    const a = await makeKey(team, { name: "A", scopes: ["ping", "validate", "keys:manage"] });
    const b = await makeKey(team, { name: "B", scopes: ["validate"] });

    // Key B: 3 admitted metered calls, 2 refused (insufficient_scope).
    for (let i = 0; i < 3; i++) expect(status(await validate(apiRequest("/api/public/validate", { key: b.secret, body: { rfc: "GODE561231GR8" } })))).toBe(200);
    for (let i = 0; i < 2; i++) expect(status(await ping(apiRequest("/api/public/ping", { key: b.secret })))).toBe(403);
    // Key A: 5 metered + 1 metered answered 400 (admitted: it passed verification), 1 refused,
    // then ping (admitted, unmetered) and me (admitted, unmetered) last, to read their answers.
    for (let i = 0; i < 5; i++) expect(status(await validate(apiRequest("/api/public/validate", { key: a.secret, body: { rfc: "GODE561231GR8" } })))).toBe(200);
    expect(status(await validate(apiRequest("/api/public/validate", { key: a.secret, body: { nope: 1 } })))).toBe(400);
    expect(status(await audit(apiRequest("/api/public/audit?business_id=x", { key: a.secret })))).toBe(403);
    const pingRes = await ping(apiRequest("/api/public/ping", { key: a.secret }));
    expect(pingRes.status).toBe(200);
    const pingBody = (await readJson(pingRes)) as { quota: { used: number; limit: number; remaining: number } };
    const meRes = await me(apiRequest("/api/public/me", { key: a.secret }));
    expect(meRes.status).toBe(200);
    const meBody = (await readJson(meRes)) as { key: { calls_total: number; calls_this_month: number }; limits: { quota_used: number } };
    await flushCallLog();

    const expected = {
      a: { attempts: 9, admitted: 8, refused: 1 },
      b: { attempts: 5, admitted: 3, refused: 2 },
      metered: 9, // 6 by A (the 400 included), 3 by B
    };
    // The X-Quota headers and ping: metered calls.
    expect(pingBody.quota.used).toBe(expected.metered);
    expect(pingRes.headers.get("x-quota-remaining")).toBe(String(pingBody.quota.limit - expected.metered));
    // me: the key's admitted calls (its own call included) and the team's metered calls.
    expect(meBody.key).toMatchObject({ calls_total: expected.a.admitted, calls_this_month: expected.a.admitted });
    expect(meBody.limits.quota_used).toBe(expected.metered);

    // The keys table's data: admitted this month and in total.
    const list = await listKeys(team.actor, { includeRevoked: false });
    const row = (id: string) => list.keys.find((k) => k.id === id)!;
    expect(row(a.key.id)).toMatchObject({ calls_this_month: expected.a.admitted, calls_total: expected.a.admitted });
    expect(row(b.key.id)).toMatchObject({ calls_this_month: expected.b.admitted, calls_total: expected.b.admitted });
    // The key page's data: the same key view, and its range totals.
    expect(await getKey(team.actor, a.key.id)).toMatchObject({ calls_this_month: expected.a.admitted, calls_total: expected.a.admitted });
    const viewer = { userId: team.ownerId, teamId: team.teamId };
    const keyPage = await usageSummary(viewer, { days: 30, keyId: a.key.id });
    expect(keyPage.totals).toMatchObject(expected.a);
    // The usage page: per key and in total; the quota card: metered.
    const usage = await usageSummary(viewer, { days: 30 });
    const perKey = (id: string) => usage.keys.find((k) => k.id === id)!;
    expect(perKey(a.key.id)).toMatchObject({ attempts: expected.a.attempts, admitted: expected.a.admitted });
    expect(perKey(b.key.id)).toMatchObject({ attempts: expected.b.attempts, admitted: expected.b.admitted });
    expect(usage.totals).toMatchObject({
      attempts: expected.a.attempts + expected.b.attempts,
      admitted: expected.a.admitted + expected.b.admitted,
      refused: expected.a.refused + expected.b.refused,
    });
    expect(usage.quota).toMatchObject({ used: expected.metered, overage: 0, billing_mode: "none" });
    // Billing: the same metered figure.
    const billing = await getBillingOverview(team.ownerId, team.teamId);
    expect(billing.quota).toMatchObject({ used: expected.metered, overage: 0 });
    // The CSV: one row per attempt, its admitted column adds up to the admitted figure.
    const csv = (await new Response(exportCallsCsv(viewer, a.key.id, {})).text()).trim().split("\n");
    const col = csv[0]!.split(",").indexOf("admitted");
    const rows = csv.slice(1).map((l) => l.split(","));
    expect(rows).toHaveLength(expected.a.attempts);
    expect(rows.filter((r) => r[col] === "yes")).toHaveLength(expected.a.admitted);

    // The key-management API's list: the same key view (this call is admitted too: one more).
    const listed = await listKeysApi(apiRequest("/api/public/keys", { key: a.secret }));
    expect(listed.status).toBe(200);
    const listedBody = (await readJson(listed)) as { data: { id: string; calls_total: number }[] };
    expect(listedBody.data.find((k) => k.id === a.key.id)!.calls_total).toBe(expected.a.admitted + 1);
    expect((await getKey(team.actor, a.key.id)).calls_total).toBe(expected.a.admitted + 1);
  });

  it("overage is counted per call under the plan in force then: downgrades and upgrades never recount earlier calls", async () => {
    const team = await makeTeam(suite.db, "pro");
    const { secret } = await makeKey(team, { name: "load", scopes: ["validate"], rate_limit_per_minute: 60 });
    const call = () => validate(apiRequest("/api/public/validate", { key: secret, body: { rfc: "GODE561231GR8" } })).then(status);
    const usage = async () =>
      (await suite.db.query<{ calls: number; overage: number }>("select calls, overage from public.team_usage where team_id = $1", [team.teamId])).rows[0]!;
    // 1,998 calls admitted under Pro earlier this month.
    await suite.db.query("insert into public.team_usage (team_id, month, calls) values ($1, date_trunc('month', now() at time zone 'utc')::date, 1998)", [team.teamId]);

    // Pro (2,000 included): 2 within the quota, 2 overage.
    for (let i = 0; i < 4; i++) expect(await call()).toBe(200);
    expect(await usage()).toEqual({ calls: 2002, overage: 2 });

    // Down to Free: no overage allowed; the Pro calls are not recounted as overage.
    await applyPlan(team.teamId, "free");
    for (let i = 0; i < 2; i++) expect(await call()).toBe(429);
    expect(await usage()).toEqual({ calls: 2002, overage: 2 });
    const viewer = { userId: team.ownerId, teamId: team.teamId };
    const onFree = await usageSummary(viewer, { days: 30 });
    expect(onFree.quota).toMatchObject({ used: 2002, limit: 100, overage: 2 });
    const freeText = quotaSentences(onFree.quota, "Free");
    expect(freeText.headline).toBe("2,002 metered calls this month; the Free plan's quota is 100");
    expect(freeText.headline).not.toContain("of 100");
    expect(freeText.split).toBe("2,000 within the quota of the plan in force when they were made, 2 calls overage.");
    // No Stripe in this suite: development mode never says "billed".
    expect(onFree.quota.billing_mode).toBe("none");
    expect(`${freeText.billing} ${freeText.policy}`).not.toMatch(/billed|invoice/);

    // Up to Business (10,000 included): within its quota, no overage.
    await applyPlan(team.teamId, "business");
    for (let i = 0; i < 3; i++) expect(await call()).toBe(200);
    expect(await usage()).toEqual({ calls: 2005, overage: 2 });

    // Down to Pro again: the month is past Pro's quota, so the next call is overage, and only it.
    await applyPlan(team.teamId, "pro");
    expect(await call()).toBe(200);
    expect(await usage()).toEqual({ calls: 2006, overage: 3 });

    // The Stripe meter outbox takes the same count (it collects for teams with a Stripe customer).
    await suite.db.query("insert into public.team_billing (team_id, stripe_customer_id) values ($1, $2)", [team.teamId, `cus_${team.teamId.slice(0, 8)}`]);
    await collectOverage(suite.db);
    const queued = await suite.db.query<{ n: number }>("select coalesce(sum(value), 0)::int as n from public.billing_overage_outbox where team_id = $1", [team.teamId]);
    expect(queued.rows[0]!.n).toBe(3);
    const billing = await getBillingOverview(team.ownerId, team.teamId);
    expect(billing.quota).toMatchObject({ used: 2006, overage: 3 });
  });
});
