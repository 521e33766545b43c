// Issue 13, item 10: the demo data says true things. Seeds the demo (fewer calls) and checks the
// invariants the old generator broke: key_expired only on keys that expired, a valid RFC never
// logged invalid, no latency on refused calls, varied last-used times and addresses, counters
// equal to the log, limits respected, a sign-in URL on the real port, a non-empty activity log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { PLANS } from "@/lib/plans";
import { validateRfc } from "@/lib/rfc/validate-rfc";
import { installTimedVerify } from "@/lib/usage/timed-verify";
import { seedDemo, type DemoSeedResult } from "../../scripts/demo-seed";
import { testDatabases, type TestDatabase } from "../databases";

describe.each(testDatabases())("demo seed on $name", ({ open }) => {
  let t: TestDatabase;
  let demo: DemoSeedResult;
  const saved = { PORT: process.env.PORT, APP_URL: process.env.APP_URL };

  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
    process.env.PORT = "3517";
    delete process.env.APP_URL;
    resetEnvCache();
    demo = await seedDemo(t.db, { calls: 3_000, seed: 0.17 });
  }, 240_000);
  afterAll(async () => {
    process.env.PORT = saved.PORT;
    if (saved.APP_URL !== undefined) process.env.APP_URL = saved.APP_URL;
    resetEnvCache();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  const q = async <T,>(sql: string, params: unknown[] = []) => (await t.db.query<T>(sql, params)).rows;

  it("refuses for real reasons only: key_expired only after a key's expiry, and several kinds of refusal happen", async () => {
    const wrong = await q<{ n: number }>(
      `select count(*)::int as n from public.api_calls c join public.api_keys k on k.id = c.key_id
        where c.team_id = $1 and c.error_code = 'key_expired' and (k.expires_at is null or c.created_at < k.expires_at)`,
      [demo.teamId],
    );
    expect(wrong[0]!.n).toBe(0);
    const codes = await q<{ error_code: string }>(
      "select distinct error_code from public.api_calls where team_id = $1 and not admitted order by 1",
      [demo.teamId],
    );
    expect(codes.map((c) => c.error_code)).toEqual(["insufficient_scope", "ip_not_allowed", "key_expired", "rate_limited"]);
    expect(Object.keys(demo.replay.refused).sort()).toEqual(codes.map((c) => c.error_code));
  });

  it("logs each RFC with lib/rfc's verdict", async () => {
    const rows = await q<{ summary: { rfc: string; valid: boolean } }>(
      "select summary from public.api_calls where team_id = $1 and endpoint = '/api/public/validate' and summary is not null",
      [demo.teamId],
    );
    expect(rows.length).toBeGreaterThan(1000);
    const wrong = rows.filter((r) => validateRfc(r.summary.rfc).valid !== r.summary.valid);
    expect(wrong).toEqual([]);
    // Both verdicts occur.
    expect(new Set(rows.map((r) => r.summary.valid))).toEqual(new Set([true, false]));
  });

  it("gives refused calls no latency and no summary, and admitted calls a status and a latency", async () => {
    const [r] = await q<{ refused_with_latency: number; refused_with_summary: number; admitted_incomplete: number; refused: number }>(
      `select count(*) filter (where not admitted and latency_ms is not null)::int as refused_with_latency,
              count(*) filter (where not admitted and summary is not null)::int as refused_with_summary,
              count(*) filter (where admitted and (latency_ms is null or status is null))::int as admitted_incomplete,
              count(*) filter (where not admitted)::int as refused
         from public.api_calls where team_id = $1`,
      [demo.teamId],
    );
    expect(r).toMatchObject({ refused_with_latency: 0, refused_with_summary: 0, admitted_incomplete: 0 });
    expect(r!.refused).toBeGreaterThan(0);
  });

  it("keys were last used at different times from their own addresses, as their last admitted call says", async () => {
    const keys = await q<{ name: string; last_used_at: Date | null; last_used_ip: string | null; last_at: Date | null; last_ip: string | null }>(
      `select k.name, k.last_used_at, host(k.last_used_ip) as last_used_ip, l.created_at as last_at, host(l.ip) as last_ip
         from public.api_keys k
         left join lateral (select c.created_at, c.ip from public.api_calls c where c.key_id = k.id and c.admitted order by c.created_at desc, c.id desc limit 1) l on true
        where k.team_id = $1`,
      [demo.teamId],
    );
    expect(keys).toHaveLength(6);
    for (const k of keys) {
      expect(k.last_used_at, k.name).not.toBeNull();
      expect(new Date(k.last_used_at!).getTime(), k.name).toBe(new Date(k.last_at!).getTime());
      expect(k.last_used_ip, k.name).toBe(k.last_ip);
    }
    expect(new Set(keys.map((k) => new Date(k.last_used_at!).toISOString().slice(0, 16))).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.last_used_ip)).size).toBeGreaterThanOrEqual(5);
  });

  it("keeps every counter equal to the log, the rate limits and the quota's overage per month", async () => {
    const keys = await q<{ name: string; uses_total: number; admitted: number }>(
      `select k.name, k.uses_total, (select count(*)::int from public.api_calls c where c.key_id = k.id and c.admitted) as admitted
         from public.api_keys k where k.team_id = $1`,
      [demo.teamId],
    );
    for (const k of keys) expect(k.uses_total, k.name).toBe(k.admitted);
    const months = await q<{ month: string; calls: number; overage: number; metered: number }>(
      `select u.month::text, u.calls, u.overage,
              (select count(*)::int from public.api_calls c where c.team_id = u.team_id and c.metered
                  and (c.created_at at time zone 'utc')::date >= u.month and (c.created_at at time zone 'utc')::date < u.month + interval '1 month') as metered
         from public.team_usage u where u.team_id = $1 order by 1`,
      [demo.teamId],
    );
    expect(months.length).toBeGreaterThanOrEqual(3);
    const quota = PLANS.business.monthlyCalls;
    for (const m of months) {
      expect(m.calls, m.month).toBe(m.metered);
      // Business the whole time: overage is what passed its quota, call by call.
      expect(m.overage, m.month).toBe(Math.max(0, m.metered - quota));
    }
    const over = await q<{ name: string; minute: Date; n: number; rate: number }>(
      `select k.name, date_trunc('minute', c.created_at) as minute, count(*)::int as n, k.rate_limit_per_minute as rate
         from public.api_calls c join public.api_keys k on k.id = c.key_id
        where c.team_id = $1 and c.admitted group by 1, 2, 4 having count(*) > k.rate_limit_per_minute`,
      [demo.teamId],
    );
    expect(over).toEqual([]);
  });

  it("records the team's and the keys' story in the activity log", async () => {
    const log = await q<{ action: string; n: number }>(
      "select action, count(*)::int as n from public.audit_log where team_id = $1 group by 1 order by 1",
      [demo.teamId],
    );
    expect(log).toEqual([
      { action: "key.created", n: 6 },
      { action: "key.settings_changed", n: 1 },
      { action: "plan.changed", n: 1 },
    ]);
    const [first] = await q<{ at: Date }>("select min(created_at) as at from public.audit_log where team_id = $1", [demo.teamId]);
    expect(Date.now() - new Date(first!.at).getTime()).toBeGreaterThan(90 * 86_400_000);
    // The log lists newest first by id: backdated entries must be written in time order.
    const order = await q<{ at: Date }>("select created_at as at from public.audit_log where team_id = $1 order by id", [demo.teamId]);
    const times = order.map((r) => new Date(r.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("prints the portal's own sign-in URL", () => {
    expect(demo.signInUrl).toBe("http://localhost:3517/sign-in");
  });

  it("replays through verify_api_call's own source with only its clock replaced", async () => {
    await t.db.transaction(async (tx) => {
      await installTimedVerify(tx);
      const [fn] = (await tx.query<{ live: string; timed: string }>(
        `select (select prosrc from pg_proc where oid = 'public.verify_api_call'::regproc) as live,
                (select prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname like 'pg_temp%' and p.proname = 'verify_api_call_at') as timed`,
      )).rows;
      expect(fn!.timed).toBe(fn!.live.replace("v_now timestamptz := now();", "v_now timestamptz := p_at;"));
    });
  });
});
