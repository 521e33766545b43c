import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getById, PUT as putById } from "@/app/api/public/audit/[audit_id]/route";
import { GET as getLatest, POST as postAudit, PUT as putAudit } from "@/app/api/public/audit/route";
import { GET as ping } from "@/app/api/public/ping/route";
import { auditInputSchema, type AuditInputBody } from "@/lib/presence-audit/audit-input.schema";
import { computeAudit, type AuditResult } from "@/lib/presence-audit/score";
import { runAudit } from "@/lib/presence-audit/run-audit";
import { setDbForTesting } from "@/lib/db";
import { asUser } from "@/lib/db/as-user";
import { registerAllHandlers } from "@/lib/jobs/handlers";
import { claim, getJob, recoverStale } from "@/lib/jobs/queue";
import { runOnce } from "@/lib/jobs/worker";
import { flushCallLog } from "@/lib/public-api/call-log";
import { AUDIT_INPUT_EXAMPLE } from "@/lib/public-api/examples";
import { apiRequest, makeKey, makeTeam, readJson, type TeamFixture } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const silent = () => {};

/** The contract's example body (shared with the OpenAPI document), with another business id if asked. */
function auditBody(overrides: Partial<AuditInputBody> = {}, businessId = "place-123"): AuditInputBody {
  return { ...AUDIT_INPUT_EXAMPLE, business: { ...AUDIT_INPUT_EXAMPLE.business, id: businessId }, ...overrides };
}

describe.each(testDatabases())("audit API on $name", ({ open }) => {
  let t: TestDatabase;
  let team: TeamFixture;
  let key: string;
  let other: TeamFixture;
  let otherKey: string;

  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
    registerAllHandlers();
    // Business: a rate ceiling well above the calls this suite makes with one key.
    team = await makeTeam(t.db, "business");
    key = (await makeKey(team, { name: "Audits" })).secret;
    other = await makeTeam(t.db, "business");
    otherKey = (await makeKey(other, { name: "Other team" })).secret;
  });
  afterAll(async () => {
    await flushCallLog();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  const post = (body: unknown, k = key) => postAudit(apiRequest("/api/public/audit", { key: k, body }));
  const byId = (auditId: string, k = key) =>
    getById(apiRequest(`/api/public/audit/${encodeURIComponent(auditId)}`, { key: k }), { params: Promise.resolve({ audit_id: auditId }) });
  const latest = (query: string, k = key) => getLatest(apiRequest(`/api/public/audit?${query}`, { key: k }));

  /** Runs audit jobs until none is due, as the worker loop would. */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await runOnce(t.db, { queues: ["audit.run"], log: silent });
      if (n === 0) return total;
      total += n;
    }
  }

  async function queued(body: unknown = auditBody()): Promise<string> {
    const res = await post(body);
    expect(res.status).toBe(202);
    return (await readJson(res)).audit_id as string;
  }

  async function quotaUsed(): Promise<number> {
    const body = await readJson(await ping(apiRequest("/api/public/ping", { key })));
    return (body.quota as { used: number }).used;
  }

  async function expectError(res: Response, status: number, code: string) {
    const body = await readJson(res);
    expect(res.status).toBe(status);
    expect(body.error?.code).toBe(code);
    expect(body.error?.request_id).toBe(res.headers.get("x-request-id"));
    expect(body.error?.request_id).toMatch(UUID);
    expect(Object.keys(body)).toEqual(["error"]);
    return body;
  }

  let auditId: string;
  let firstResult: AuditResult;

  it("POST answers 202 {audit_id, status, result_url} with the contract's headers", async () => {
    const res = await post(auditBody());
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    for (const h of ["x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-quota-limit", "x-quota-remaining"]) {
      expect(res.headers.get(h), h).not.toBeNull();
    }
    const body = await readJson(res);
    expect(Object.keys(body).sort()).toEqual(["audit_id", "result_url", "status"]);
    expect(body.audit_id).toMatch(UUID);
    auditId = body.audit_id as string;
    expect(body).toEqual({ audit_id: auditId, status: "queued", result_url: `/api/public/audit/${auditId}` });

    // One transaction wrote the business, the audit and its job.
    const { rows } = await t.db.query<{ business: string; status: string; key_id: string | null; dedupe_key: string; payload: unknown }>(
      `select b.name as business, a.status, a.key_id, j.dedupe_key, j.payload
         from public.audits a
         join public.businesses b on b.team_id = a.team_id and b.business_id = a.business_id
         join public.jobs j on j.queue = 'audit.run' and j.payload ->> 'audit_id' = a.id::text
        where a.id = $1`,
      [auditId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ business: "Café Sol", status: "queued", dedupe_key: `audit.run:${auditId}`, payload: { audit_id: auditId } });
    expect(rows[0]!.key_id).not.toBeNull();
  });

  it("GET /audit/{id}: queued, then completed once the job ran, rendered as it was asked", async () => {
    const before = await byId(auditId);
    expect(before.status).toBe(200);
    expect(before.headers.get("x-request-id")).toMatch(UUID);
    expect(await readJson(before)).toEqual({ audit_id: auditId, status: "queued" });

    expect(await drain()).toBe(1);

    const res = await byId(auditId);
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(Object.keys(body).sort()).toEqual(["audit_id", "result", "status"]);
    expect(body).toMatchObject({ audit_id: auditId, status: "completed" });
    const result = body.result as AuditResult;
    expect(Object.keys(result).sort()).toEqual(["business_id", "meta", "revenue_lost", "score", "top_actions"]);
    expect(result.business_id).toBe("place-123");
    expect(Number.isInteger(result.score)).toBe(true);
    expect(result.top_actions).toHaveLength(3);
    for (const a of result.top_actions) expect(Object.keys(a).sort()).toEqual(["detail", "id", "revenue_monthly", "score_gain", "title"]);
    const gains = result.top_actions.map((a) => a.score_gain);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    expect(result.revenue_lost.currency).toBe("EUR");
    expect(result.meta).toMatchObject({ audit_id: auditId, lang: "es", currency: "EUR", model_version: "1" });
    expect(new Date(result.meta.generated_at).toISOString()).toBe(result.meta.generated_at);
    // Exactly what the model computes for that input, nothing lost in storage.
    expect(result).toEqual(computeAudit(auditInputSchema.parse(auditBody()), { auditId, generatedAt: result.meta.generated_at }));
    firstResult = result;
  });

  it("an audit asked in en/USD is rendered in en/USD by GET /audit/{id}", async () => {
    const id = await queued(auditBody({ lang: "EN", currency: "usd" }, "place-en"));
    await drain();
    const body = await readJson(await byId(id));
    const result = body.result as AuditResult;
    expect(result.meta).toMatchObject({ lang: "en", currency: "USD", audit_id: id });
    expect(result.revenue_lost.currency).toBe("USD");
  });

  it("GET ?business_id re-renders the latest audit in lang=en&currency=USD: same score, other texts and amounts", async () => {
    const same = await latest("business_id=place-123");
    expect(same.status).toBe(200);
    expect(await readJson(same)).toEqual(firstResult);

    const res = await latest("business_id=place-123&lang=en&currency=USD");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(UUID);
    const en = (await readJson(res)) as unknown as AuditResult;
    expect(en.score).toBe(firstResult.score);
    expect(en.meta).toEqual({ ...firstResult.meta, lang: "en", currency: "USD" });
    expect(en.revenue_lost.currency).toBe("USD");
    expect(firstResult.revenue_lost.monthly).toBeGreaterThan(0);
    expect(en.revenue_lost.monthly).not.toBe(firstResult.revenue_lost.monthly);
    expect(en.top_actions.map((a) => [a.id, a.score_gain])).toEqual(firstResult.top_actions.map((a) => [a.id, a.score_gain]));
    expect(en.top_actions.map((a) => a.title)).not.toEqual(firstResult.top_actions.map((a) => a.title));
    const paid = firstResult.top_actions.findIndex((a) => a.revenue_monthly > 0);
    expect(paid).toBeGreaterThanOrEqual(0);
    expect(en.top_actions[paid]!.revenue_monthly).not.toBe(firstResult.top_actions[paid]!.revenue_monthly);
  });

  it("GET ?business_id answers the newest completed audit of the business", async () => {
    const id = await queued(auditBody({ business: { ...auditBody().business, photo_count: 90, has_hours: true } }));
    // Not completed yet: still the previous one.
    expect(((await readJson(await latest("business_id=place-123"))).meta as { audit_id: string }).audit_id).toBe(auditId);
    await drain();
    const body = (await readJson(await latest("business_id=place-123"))) as unknown as AuditResult;
    expect(body.meta.audit_id).toBe(id);
    expect(body.score).toBeGreaterThan(firstResult.score);
    const { rows } = await t.db.query<{ photos: number }>(
      "select (latest_input -> 'business' ->> 'photo_count')::int as photos from public.businesses where team_id = $1 and business_id = 'place-123'",
      [team.teamId],
    );
    expect(rows[0]!.photos).toBe(90);
    auditId = id;
  });

  it("404 not_found for a business the team never audited, or one with no completed audit yet", async () => {
    await expectError(await latest("business_id=never-seen"), 404, "not_found");
    const pending = await queued(auditBody({}, "place-pending"));
    const body = await expectError(await latest("business_id=place-pending"), 404, "not_found");
    expect(body.error?.message).toContain(`/api/public/audit/${pending}`);
    await drain();
    expect((await latest("business_id=place-pending")).status).toBe(200);
  });

  it("404 for another team's audit, by id and by business", async () => {
    await expectError(await byId(auditId, otherKey), 404, "not_found");
    await expectError(await latest("business_id=place-123", otherKey), 404, "not_found");
  });

  it("404 (never 500) for a malformed audit id", async () => {
    for (const bad of ["not-a-uuid", "1", "' or 1=1 --", `${auditId}x`, "00000000-0000-0000-0000-00000000000g", "%"]) {
      await expectError(await byId(bad), 404, "not_found");
    }
    await expectError(await byId("2f0e7c1a-9b7d-4c1e-8f2a-3d4b5c6d7e8f"), 404, "not_found");
  });

  it("400 invalid_request with details for a bad body", async () => {
    const base = auditBody();
    const cases: Array<[unknown, string]> = [
      [{ ...base, competitors: Array.from({ length: 11 }, (_, i) => ({ name: `C${i}`, rating: 4, review_count: 1, photo_count: 1 })) }, "competitors"],
      [{ ...base, business: { ...base.business, rating: 6 } }, "business.rating"],
      [{ ...base, currency: "XYZ" }, "currency"],
      [{ ...base, extra: true }, "(body)"],
      [{ ...base, business: { ...base.business, secret: "x" } }, "business"],
      [{ ...base, lang: "fr" }, "lang"],
    ];
    for (const [body, path] of cases) {
      const err = await expectError(await post(body), 400, "invalid_request");
      expect(err.error?.details, path).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
    const many = await expectError(await post({ ...base, business: { ...base.business, rating: 6 }, currency: "XYZ" }), 400, "invalid_request");
    expect(many.error?.details?.length).toBe(2);
    await expectError(await postAudit(apiRequest("/api/public/audit", { key, rawBody: "{nope" })), 400, "invalid_request");
    await expectError(await postAudit(apiRequest("/api/public/audit", { key, rawBody: "x", contentType: "text/plain" })), 415, "unsupported_media_type");
  });

  it("400 for an unsupported lang or currency, or no business_id, in the query", async () => {
    const lang = await expectError(await latest("business_id=place-123&lang=fr"), 400, "invalid_request");
    expect(lang.error?.details).toEqual([expect.objectContaining({ path: "lang" })]);
    const cur = await expectError(await latest("business_id=place-123&currency=XYZ"), 400, "invalid_request");
    expect(cur.error?.details).toEqual([expect.objectContaining({ path: "currency" })]);
    await expectError(await latest("lang=en"), 400, "invalid_request");
    // Empty values mean "not given": the defaults apply.
    const defaults = (await readJson(await latest("business_id=place-123&lang=&currency="))) as unknown as AuditResult;
    expect(defaults.meta).toMatchObject({ lang: "es", currency: "EUR" });
  });

  it("403 insufficient_scope for a key without the audit scopes", async () => {
    const pingOnly = (await makeKey(team, { name: "ping only", scopes: ["ping"] })).secret;
    for (const res of [await post(auditBody(), pingOnly), await latest("business_id=place-123", pingOnly), await byId(auditId, pingOnly)]) {
      const body = await expectError(res, 403, "insufficient_scope");
      expect(body.error?.message).toMatch(/"audit:(read|write)"/);
      expect(res.headers.get("x-quota-limit")).not.toBeNull();
    }
    const readOnly = (await makeKey(team, { name: "read only", scopes: ["audit:read"] })).secret;
    await expectError(await post(auditBody(), readOnly), 403, "insufficient_scope");
    expect((await byId(auditId, readOnly)).status).toBe(200);
  });

  it("401 without a key", async () => {
    await expectError(await postAudit(apiRequest("/api/public/audit", { body: auditBody() })), 401, "missing_api_key");
    await expectError(await byId(auditId, ""), 401, "missing_api_key");
  });

  it("GET /audit/{id} is not metered; POST and GET ?business_id are, whatever they answer", async () => {
    const start = await quotaUsed();
    expect((await byId(auditId)).status).toBe(200);
    await byId("not-a-uuid");
    expect(await quotaUsed()).toBe(start);
    const res = await post(auditBody());
    expect(Number(res.headers.get("x-quota-remaining"))).toBe(10_000 - start - 1);
    expect(await quotaUsed()).toBe(start + 1);
    expect((await latest("business_id=place-123")).status).toBe(200);
    expect(await quotaUsed()).toBe(start + 2);
    expect((await latest("business_id=never-seen")).status).toBe(404);
    expect((await latest("business_id=place-123&lang=fr")).status).toBe(400);
    expect(await quotaUsed()).toBe(start + 4);
    await drain();
  });

  it("a job interrupted by a crash is recovered and completes the audit exactly once", async () => {
    expect(await drain()).toBe(0);
    const id = await queued(auditBody({}, "place-crash"));
    // A worker claims the job, starts the audit, and dies.
    const [job] = await claim(t.db, ["audit.run"], "crashed-worker", 1);
    expect(job?.payload).toEqual({ audit_id: id });
    await t.db.query("update public.audits set status = 'running', started_at = now() where id = $1", [id]);
    expect((await readJson(await byId(id))).status).toBe("running");
    // Nothing else runs it while it is locked.
    expect(await drain()).toBe(0);
    await t.db.query("update public.jobs set locked_at = now() - interval '10 minutes' where id = $1", [job!.id]);
    expect(await recoverStale(t.db, 60_000)).toBe(1);

    expect(await drain()).toBe(1);
    const done = await readJson(await byId(id));
    expect(done.status).toBe("completed");
    const generatedAt = (done.result as AuditResult).meta.generated_at;
    const after = await getJob(t.db, job!.id);
    expect(after).toMatchObject({ status: "completed", attempts: 2 });

    // Delivered yet again (at least once): nothing changes.
    expect(await runAudit(t.db, id)).toBe("skipped");
    expect(await drain()).toBe(0);
    const again = await readJson(await byId(id));
    expect((again.result as AuditResult).meta.generated_at).toBe(generatedAt);
    const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from public.audits where business_id = 'place-crash'");
    expect(rows[0]!.n).toBe(1);
  });

  it("two runs of the same audit at once store one result", async () => {
    const id = await queued(auditBody({}, "place-race"));
    const outcomes = await Promise.all([runAudit(t.db, id), runAudit(t.db, id), runAudit(t.db, id)]);
    expect(outcomes.filter((o) => o === "completed")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "skipped")).toHaveLength(2);
    expect(await drain()).toBe(1); // its job finds the audit done and completes
    expect((await readJson(await byId(id))).status).toBe("completed");
  });

  it("a bad stored input fails the audit with a readable error, and is not retried", async () => {
    const id = await queued(auditBody({}, "place-bad"));
    await t.db.query("update public.audits set input = jsonb_set(input, '{business,rating}', '9') where id = $1", [id]);
    expect(await drain()).toBe(1);
    const body = await readJson(await byId(id));
    expect(Object.keys(body).sort()).toEqual(["audit_id", "error", "status"]);
    expect(body.status).toBe("failed");
    expect(body.error).toMatch(/business\.rating/);
    const { rows } = await t.db.query<{ status: string }>("select status from public.jobs where dedupe_key = $1", [`audit.run:${id}`]);
    expect(rows[0]!.status).toBe("completed");
    await expectError(await latest("business_id=place-bad"), 404, "not_found");
  });

  it("405 with Allow for other methods", async () => {
    const res = await putAudit();
    await expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, POST");
    const res2 = await putById();
    await expectError(res2, 405, "method_not_allowed");
    expect(res2.headers.get("allow")).toBe("GET");
  });

  it("logs summaries: {business_id, audit_id} for POST, {business_id, score} for GET", async () => {
    await flushCallLog();
    const { rows } = await t.db.query<{ method: string; endpoint: string; summary: Record<string, unknown> | null }>(
      "select method, endpoint, summary from public.api_calls where team_id = $1 and status in (200, 202) order by id",
      [team.teamId],
    );
    const postRow = rows.find((r) => r.method === "POST" && r.endpoint === "/api/public/audit");
    expect(postRow?.summary).toEqual({ business_id: "place-123", audit_id: expect.stringMatching(UUID) });
    const getRow = rows.find((r) => r.method === "GET" && r.endpoint === "/api/public/audit");
    expect(getRow?.summary).toEqual({ business_id: "place-123", score: firstResult.score });
    // Status checks are logged under the route's template, so the charts count them as one endpoint.
    expect(rows.some((r) => r.endpoint.includes(auditId))).toBe(false);
    const byIdRow = rows.find((r) => r.endpoint === "/api/public/audit/{audit_id}" && r.summary?.score !== null);
    expect(byIdRow?.summary).toMatchObject({ business_id: "place-123" });
    for (const r of rows) expect(JSON.stringify(r.summary)).not.toContain("Café Sol");
  });

  it("RLS: members read their team's audits and businesses, other teams nothing, nobody writes", async () => {
    const { rows: users } = await t.db.query<{ id: string }>("insert into auth.users (email) values ($1) returning id", [`member${Date.now()}@example.com`]);
    const memberId = users[0]!.id;
    await t.db.query("insert into public.team_members (team_id, user_id, role) values ($1, $2, 'member')", [team.teamId, memberId]);
    const count = (userId: string) =>
      asUser(userId, async (tx) => {
        const a = await tx.query<{ n: number }>("select count(*)::int as n from public.audits");
        const b = await tx.query<{ n: number }>("select count(*)::int as n from public.businesses");
        return [a.rows[0]!.n, b.rows[0]!.n];
      });
    const { rows: total } = await t.db.query<{ a: number; b: number }>(
      "select (select count(*) from public.audits where team_id = $1)::int as a, (select count(*) from public.businesses where team_id = $1)::int as b",
      [team.teamId],
    );
    expect(await count(team.ownerId)).toEqual([total[0]!.a, total[0]!.b]);
    expect(await count(memberId)).toEqual([total[0]!.a, total[0]!.b]);
    expect(await count(other.ownerId)).toEqual([0, 0]);
    await expect(
      asUser(team.ownerId, (tx) =>
        tx.query("insert into public.audits (team_id, business_id, input) values ($1, 'place-123', '{}'::jsonb)", [team.teamId]),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asUser(team.ownerId, (tx) => tx.query("update public.audits set status = 'failed' where team_id = $1", [team.teamId])),
    ).rejects.toThrow(/permission denied/);
  });
});
