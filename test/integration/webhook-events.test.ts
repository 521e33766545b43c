import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as postAudit } from "@/app/api/public/audit/route";
import { POST as validate } from "@/app/api/public/validate/route";
import { setDbForTesting } from "@/lib/db";
import type { Database } from "@/lib/db/types";
import { resetEnvCache } from "@/lib/env";
import { registerAllHandlers } from "@/lib/jobs/handlers";
import { runOnce } from "@/lib/jobs/worker";
import { createKey, revokeKey, rotateKey, setKeyEnabled } from "@/lib/keys/lifecycle";
import { flushCallLog } from "@/lib/public-api/call-log";
import { setPlanDirectly } from "@/lib/teams/teams";
import { AUDIT_INPUT_EXAMPLE } from "@/lib/public-api/examples";
import { createEndpoint, setThresholds } from "@/lib/webhooks/endpoints";
import { sweepExpiringKeys } from "@/lib/webhooks/expiry-sweep";
import { checkQuotaThresholds } from "@/lib/webhooks/quota";
import { addMember, createUser } from "../fixtures";
import { apiRequest, makeKey, makeTeam, readJson, type TeamFixture } from "../api-fixtures";
import { openPostgresTestDb, testDatabases, type TestDatabase } from "../databases";
import { startReceiver, type Receiver } from "../webhook-receiver";

const silent = () => {};
type Msg = { type: string; timestamp: string; data: Record<string, unknown> };

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function messages(db: Database, teamId: string, type?: string): Promise<Msg[]> {
  const { rows } = await db.query<{ payload: Msg }>(
    "select payload from public.webhook_messages where team_id = $1 and ($2::text is null or type = $2) order by created_at, id",
    [teamId, type ?? null],
  );
  return rows.map((r) => r.payload);
}

async function setUsage(db: Database, teamId: string, calls: number) {
  await db.query(
    `insert into public.team_usage (team_id, month, calls) values ($1, date_trunc('month', now() at time zone 'utc')::date, $2)
     on conflict (team_id, month) do update set calls = excluded.calls`,
    [teamId, calls],
  );
}

describe.each(testDatabases())("webhook events from their causes on $name", ({ open }) => {
  let t: TestDatabase;
  let team: TeamFixture;
  let rx: Receiver;
  let secret: string;

  beforeAll(async () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
    resetEnvCache();
    t = await open();
    setDbForTesting(t.db);
    registerAllHandlers();
    rx = await startReceiver();
    team = await makeTeam(t.db, "business");
    ({ secret } = await createEndpoint(t.db, { userId: team.ownerId, teamId: team.teamId }, { url: rx.url, event_types: [], enabled: true }, { allowPrivate: true }));
  });
  afterAll(async () => {
    await flushCallLog();
    await rx?.close();
    setDbForTesting(undefined);
    await t?.dispose();
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    resetEnvCache();
  });
  beforeEach(() => {
    rx.received.length = 0;
  });

  async function drain(queue: string) {
    while ((await runOnce(t.db, { queues: [queue], log: silent })) > 0);
  }

  it("audit.completed when an async audit job finishes, signed to the receiver", async () => {
    const { secret: key } = await makeKey(team, { name: "audits" });
    const res = await postAudit(apiRequest("/api/public/audit", { key, body: AUDIT_INPUT_EXAMPLE }));
    expect(res.status).toBe(202);
    const { audit_id } = (await readJson(res)) as { audit_id: string };
    expect(await messages(t.db, team.teamId, "audit.completed")).toEqual([]); // not before it finishes
    await drain("audit.run");
    await drain("webhook.deliver");
    const received = rx.verifyAll([secret]).filter((m) => m.type === "audit.completed");
    expect(received).toHaveLength(1);
    const { rows } = await t.db.query<{ score: number }>("select (result ->> 'score')::int as score from public.audits where id = $1", [audit_id]);
    expect(received[0]!.data).toEqual({
      audit_id,
      business_id: AUDIT_INPUT_EXAMPLE.business.id,
      score: rows[0]!.score,
      result_url: `/api/public/audit/${audit_id}`,
    });
  });

  it("key.rotated, key.disabled and key.revoked from the key's lifecycle", async () => {
    const { key } = await makeKey(team, { name: "life" });
    const rotated = await rotateKey(team.actor, key.id, "24h");
    await setKeyEnabled(team.actor, rotated.key.id, false);
    await revokeKey(team.actor, rotated.key.id);
    await setKeyEnabled(team.actor, key.id, false); // disabling twice is not a second event
    await setKeyEnabled(team.actor, key.id, false);
    await drain("webhook.deliver");
    // Deliveries run concurrently, so arrival order is not emission order.
    const got = rx.verifyAll([secret]).map((m) => [m.type, m.data.key_id, m.data.reason ?? m.data.new_key_id ?? null]);
    expect(got).toHaveLength(4);
    expect(got).toEqual(expect.arrayContaining([
      ["key.rotated", key.id, rotated.key.id],
      // The owner disabled them: reason `admin` (only an owner or admin may enable them again).
      ["key.disabled", rotated.key.id, "admin"],
      ["key.revoked", rotated.key.id, null],
      ["key.disabled", key.id, "admin"],
    ]));
    expect(JSON.stringify(rx.received.map((r) => r.body))).not.toContain(rotated.secret);
  });

  it("key.disabled (user) when a member disables their own key", async () => {
    const member = await createUser(t.db, `selfdisable${Date.now()}@example.com`);
    await addMember(t.db, team.teamId, member, "member");
    const actor = { userId: member, teamId: team.teamId, ip: "127.0.0.1" };
    const { key } = await createKey(actor, { name: "mine", scopes: ["ping"], ip_allowlist: [] });
    await setKeyEnabled(actor, key.id, false);
    await drain("webhook.deliver");
    expect(rx.verifyAll([secret]).map((m) => [m.type, m.data.key_id, m.data.reason])).toEqual([["key.disabled", key.id, "user"]]);
  });

  it("key.disabled (member_removed) when the key's creator leaves the team", async () => {
    const member = await createUser(t.db, `leaver${Date.now()}@example.com`);
    await addMember(t.db, team.teamId, member, "member");
    const { key } = await createKey({ userId: member, teamId: team.teamId, ip: "127.0.0.1" }, { name: "theirs", scopes: ["ping"], ip_allowlist: [] });
    await t.db.query("delete from public.team_members where team_id = $1 and user_id = $2", [team.teamId, member]);
    await drain("webhook.deliver");
    expect(rx.verifyAll([secret]).map((m) => [m.type, m.data.key_id, m.data.reason])).toEqual([["key.disabled", key.id, "member_removed"]]);
  });

  it("key.expiring once, for keys within 7 days of expiry", async () => {
    const soon = await makeKey(team, { name: "soon", expires_at: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    await makeKey(team, { name: "later", expires_at: new Date(Date.now() + 10 * 86_400_000).toISOString() });
    const before = (await messages(t.db, team.teamId, "key.expiring")).length;
    await sweepExpiringKeys(t.db);
    await sweepExpiringKeys(t.db);
    const expiring = (await messages(t.db, team.teamId, "key.expiring")).slice(before);
    expect(expiring.map((m) => m.data.key_id)).toEqual([soon.key.id]);
    await drain("webhook.deliver");
    expect(rx.verifyAll([secret]).map((m) => m.type)).toEqual(["key.expiring"]);
    // Revoked keys are not announced.
    await revokeKey(team.actor, soon.key.id);
  });

  it("subscription.updated when the owner changes the plan (and not when it stays the same)", async () => {
    await drain("webhook.deliver"); // what earlier tests left queued goes to the receiver first
    rx.received.length = 0;
    const planTeam = await makeTeam(t.db, "free");
    const { secret: planSecret } = await createEndpoint(
      t.db,
      { userId: planTeam.ownerId, teamId: planTeam.teamId },
      { url: rx.url, event_types: ["subscription.updated"], enabled: true },
      { allowPrivate: true },
    );
    await setPlanDirectly(planTeam.ownerId, planTeam.teamId, "pro");
    await setPlanDirectly(planTeam.ownerId, planTeam.teamId, "pro");
    await drain("webhook.deliver");
    expect(rx.verifyAll([planSecret]).map((m) => [m.type, m.data])).toEqual([["subscription.updated", { plan: "pro", status: "active" }]]);
  });

  it("quota.threshold at the owner's threshold, 80 % and 100 %, each once a month, from real API calls", async () => {
    const quotaTeam = await makeTeam(t.db, "business"); // 10,000 calls a month
    const { secret: quotaSecret } = await createEndpoint(
      t.db,
      { userId: quotaTeam.ownerId, teamId: quotaTeam.teamId },
      { url: rx.url, event_types: ["quota.threshold"], enabled: true },
      { allowPrivate: true },
    );
    await setThresholds(t.db, { userId: quotaTeam.ownerId, teamId: quotaTeam.teamId }, [50]);
    const { secret: key } = await makeKey(quotaTeam, { name: "q" });
    const call = () => validate(apiRequest("/api/public/validate", { key, body: { rfc: "GODE561231GR8" } }));
    const percents = () => messages(t.db, quotaTeam.teamId, "quota.threshold").then((m) => m.map((x) => x.data.percent));

    await setUsage(t.db, quotaTeam.teamId, 4998);
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200); // 4999, 5000, 5001
    expect(await waitFor(percents, (p) => p.length >= 1)).toEqual([50]);

    await setUsage(t.db, quotaTeam.teamId, 7998);
    for (let i = 0; i < 3; i++) await call();
    expect(await waitFor(percents, (p) => p.length >= 2)).toEqual([50, 80]);

    await setUsage(t.db, quotaTeam.teamId, 9999);
    for (let i = 0; i < 3; i++) await call();
    expect(await waitFor(percents, (p) => p.length >= 3)).toEqual([50, 80, 100]);
    // More crossings later in the month fire nothing new.
    await setUsage(t.db, quotaTeam.teamId, 10099);
    await call();
    await new Promise((r) => setTimeout(r, 300));
    expect(await percents()).toEqual([50, 80, 100]);

    await drain("webhook.deliver");
    const sent = rx.verifyAll([quotaSecret, secret]).filter((m) => m.type === "quota.threshold");
    expect(sent.map((m) => m.data).sort((a, b) => Number(a.percent) - Number(b.percent))).toEqual([50, 80, 100].map((p) => expect.objectContaining({ percent: p, limit: 10000 })));
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("quota.threshold under concurrent calls (PostgreSQL)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openPostgresTestDb(30);
    setDbForTesting(t.db);
  });
  afterAll(async () => {
    await flushCallLog();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  it("fires 80 % and 100 % exactly once each", async () => {
    const team = await makeTeam(t.db, "business");
    const { secret: key } = await makeKey(team, { name: "burst" });
    await setUsage(t.db, team.teamId, 7980);
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => validate(apiRequest("/api/public/validate", { key, body: { rfc: "GODE561231GR8" } })).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    const count = (p: number) =>
      t.db
        .query<{ n: number }>("select count(*)::int as n from public.webhook_messages where team_id = $1 and type = 'quota.threshold' and (payload -> 'data' ->> 'percent')::int = $2", [team.teamId, p])
        .then((r) => r.rows[0]!.n);
    expect(await waitFor(() => count(80), (n) => n >= 1)).toBe(1);
    // Every caller that noticed 100 % at once: one event.
    await Promise.all(Array.from({ length: 25 }, () => checkQuotaThresholds(t.db, team.teamId, 10_000, 10_000)));
    await new Promise((r) => setTimeout(r, 200));
    expect(await count(80)).toBe(1);
    expect(await count(100)).toBe(1);
  });
});
