// Issue 13, item 10: the demo data says true things. Seeds the demo (fewer calls) and checks the
// invariants the old generator broke: key_expired only on keys that expired, a valid RFC never
// logged invalid, no latency on refused calls, varied last-used times and addresses, counters
// equal to the log, limits respected, a sign-in URL on the real port, a non-empty activity log;
// and the story's realism: totals that are not round figures, activity over the whole period,
// a key rotated with a grace period and a key disabled, through lib/keys, logged at their times.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { PLANS } from "@/lib/plans";
import { validateRfc } from "@/lib/rfc/validate-rfc";
import { installTimedVerify } from "@/lib/usage/timed-verify";
import { ROTATED_IN, seedDemo, type DemoSeedResult } from "../../scripts/demo-seed";
import { testDatabases, type TestDatabase } from "../databases";

const DAY = 86_400_000;
/** A fixed "now" (after office hours in Mexico), so every count below is the same on every run and on both databases. */
const NOW = new Date("2026-11-25T06:10:00Z");

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
    demo = await seedDemo(t.db, { calls: 3_000, seed: 0.17, now: NOW });
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
        where c.team_id = $1 and c.error_code = 'key_expired'
          and (least(k.expires_at, k.grace_until) is null or c.created_at < least(k.expires_at, k.grace_until))`,
      [demo.teamId],
    );
    expect(wrong[0]!.n).toBe(0);
    const codes = await q<{ error_code: string }>(
      "select distinct error_code from public.api_calls where team_id = $1 and not admitted order by 1",
      [demo.teamId],
    );
    expect(codes.map((c) => c.error_code)).toEqual(["insufficient_scope", "ip_not_allowed", "key_disabled", "key_expired", "rate_limited"]);
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
    expect(keys).toHaveLength(7);
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
      { action: "key.disabled", n: 1 },
      { action: "key.rotated", n: 1 },
      { action: "key.settings_changed", n: 2 },
      { action: "plan.changed", n: 1 },
    ]);
    const [first] = await q<{ at: Date }>("select min(created_at) as at from public.audit_log where team_id = $1", [demo.teamId]);
    expect(Date.now() - new Date(first!.at).getTime()).toBeGreaterThan(90 * 86_400_000);
    expect(NOW.getTime() - new Date(first!.at).getTime()).toBeGreaterThan(90 * DAY);
    // The log lists newest first by id: backdated entries must be written in time order.
    const order = await q<{ at: Date }>("select created_at as at from public.audit_log where team_id = $1 order by id", [demo.teamId]);
    const times = order.map((r) => new Date(r.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("gives the keys totals that are not round figures", async () => {
    const keys = await q<{ name: string; calls_total: number; calls: number }>(
      `select k.name, k.uses_total as calls_total, (select count(*)::int from public.api_calls c where c.key_id = k.id) as calls
         from public.api_keys k where k.team_id = $1 order by k.created_at`,
      [demo.teamId],
    );
    expect(keys).toHaveLength(7);
    // Before, each key's calls were its exact share of the total (1,500 of 3,000, 240, 720...).
    for (const k of keys) {
      expect(k.calls_total % 100, `${k.name}: ${k.calls_total} admitted`).not.toBe(0);
      expect(k.calls % 100, `${k.name}: ${k.calls} calls`).not.toBe(0);
    }
    expect(new Set(keys.map((k) => k.calls_total)).size).toBe(keys.length);
  });

  it("spreads calls and activity over the whole 90 days, in each third of them", async () => {
    const thirds = async (table: "api_calls" | "audit_log") =>
      (await q<{ third: number }>(
        `select distinct floor(extract(epoch from ($2::timestamptz - created_at)) / (30 * 86400))::int as third
           from public.${table} where team_id = $1 order by 1`,
        [demo.teamId, NOW],
      )).map((r) => r.third);
    expect(await thirds("api_calls")).toEqual([0, 1, 2]);
    // The log's first entries are a little over 90 days old (the plan change, the first keys).
    expect((await thirds("audit_log")).filter((x) => x < 3)).toEqual([0, 1, 2]);
    const days = await q<{ n: number }>(
      "select count(distinct (created_at at time zone 'utc')::date)::int as n from public.api_calls where team_id = $1",
      [demo.teamId],
    );
    expect(days[0]!.n).toBeGreaterThan(80);
  });

  it("rotated Production through lib/keys with a 7-day grace the old key's last server still uses", async () => {
    const oldId = demo.keyIds.Production!;
    const newId = demo.keyIds[ROTATED_IN]!;
    const [old] = await q<{ replaced_by_id: string; grace_until: Date; name: string }>("select replaced_by_id, grace_until, name from public.api_keys where id = $1", [oldId]);
    const [repl] = await q<{ rotated_from_id: string; created_at: Date; name: string; scopes: string[] }>(
      "select rotated_from_id, created_at, name, scopes from public.api_keys where id = $1",
      [newId],
    );
    expect(old!.replaced_by_id).toBe(newId);
    expect(repl).toMatchObject({ rotated_from_id: oldId, name: "Production" });
    const [entry] = await q<{ at: Date; details: { new_key_id: string; grace: string; grace_until: string }; actor_id: string }>(
      "select created_at as at, details, actor_id from public.audit_log where key_id = $1 and action = 'key.rotated'",
      [oldId],
    );
    const rotatedAt = new Date(entry!.at).getTime();
    expect(entry!.actor_id).toBe(demo.userId);
    expect(entry!.details).toMatchObject({ new_key_id: newId, grace: "7d" });
    // At its time in the story: a few days before now, the grace period a week from then.
    expect(NOW.getTime() - rotatedAt).toBeGreaterThan(DAY);
    expect(NOW.getTime() - rotatedAt).toBeLessThan(7 * DAY);
    expect(new Date(old!.grace_until).getTime()).toBe(rotatedAt + 7 * DAY);
    expect(new Date(entry!.details.grace_until).getTime()).toBe(rotatedAt + 7 * DAY);
    expect(new Date(repl!.created_at).getTime()).toBe(rotatedAt);
    const [hook] = await q<{ at: Date; grace_until: string }>(
      "select created_at as at, payload->'data'->>'grace_until' as grace_until from public.webhook_messages where team_id = $1 and type = 'key.rotated'",
      [demo.teamId],
    );
    expect(new Date(hook!.at).getTime()).toBe(rotatedAt);
    expect(new Date(hook!.grace_until).getTime()).toBe(rotatedAt + 7 * DAY);

    const [calls] = await q<{ new_first: Date; old_after: number; old_after_ips: string[]; refused_old: number }>(
      `select (select min(created_at) from public.api_calls where key_id = $2) as new_first,
              (select count(*)::int from public.api_calls where key_id = $1 and admitted and created_at > $3) as old_after,
              (select array_agg(distinct host(ip)) from public.api_calls where key_id = $1 and created_at > $3 + interval '2 days') as old_after_ips,
              (select count(*)::int from public.api_calls where key_id = $1 and not admitted and created_at > $3) as refused_old`,
      [oldId, newId, new Date(rotatedAt)],
    );
    expect(new Date(calls!.new_first).getTime()).toBeGreaterThan(rotatedAt);
    // During the grace period the old key still works, and after the roll-out one server still uses it.
    expect(calls!.old_after).toBeGreaterThan(0);
    expect(calls!.old_after_ips).toEqual(["198.51.100.12"]);
    expect(calls!.refused_old).toBe(0);
  });

  it("disabled Staging through lib/keys: refused as key_disabled from then on, and logged then", async () => {
    const id = demo.keyIds.Staging!;
    const [key] = await q<{ disabled_at: Date; disabled_reason: string; disabled_by: string }>(
      "select disabled_at, disabled_reason, disabled_by from public.api_keys where id = $1",
      [id],
    );
    expect(key).toMatchObject({ disabled_reason: "admin", disabled_by: demo.userId });
    const [entry] = await q<{ at: Date; details: { by_role: string } }>("select created_at as at, details from public.audit_log where key_id = $1 and action = 'key.disabled'", [id]);
    expect(entry!.details).toEqual({ by_role: "owner" });
    const disabledAt = new Date(key!.disabled_at).getTime();
    expect(new Date(entry!.at).getTime()).toBe(disabledAt);
    expect(NOW.getTime() - disabledAt).toBeGreaterThan(7 * DAY);
    const [calls] = await q<{ admitted_after: number; refused_after: number; refused_before: number; other_codes: number }>(
      `select count(*) filter (where admitted and created_at >= $2)::int as admitted_after,
              count(*) filter (where error_code = 'key_disabled' and created_at >= $2)::int as refused_after,
              count(*) filter (where error_code = 'key_disabled' and created_at < $2)::int as refused_before,
              count(*) filter (where not admitted and created_at >= $2 and error_code <> 'key_disabled')::int as other_codes
         from public.api_calls where key_id = $1`,
      [id, new Date(disabledAt)],
    );
    expect(calls).toMatchObject({ admitted_after: 0, refused_before: 0, other_codes: 0 });
    expect(calls!.refused_after).toBeGreaterThan(0);
  });

  it("restricted the partner and retired the old integration through lib/keys, at their times", async () => {
    const changes = await q<{ key_id: string; at: Date; fields: string[] }>(
      "select key_id, created_at as at, details->'fields' as fields from public.audit_log where team_id = $1 and action = 'key.settings_changed' order by id",
      [demo.teamId],
    );
    expect(changes.map((c) => [c.key_id, [...c.fields].sort()])).toEqual([
      [demo.keyIds["Partner: Contadores MX"], ["ip_allowlist", "rate_limit_per_minute"]],
      [demo.keyIds["Old integration"], ["expires_at"]],
    ]);
    // The partner's calls from outside its network were refused only once it was restricted.
    const [partner] = await q<{ early: number }>(
      "select count(*) filter (where error_code = 'ip_not_allowed' and created_at < $2)::int as early from public.api_calls where key_id = $1",
      [demo.keyIds["Partner: Contadores MX"], changes[0]!.at],
    );
    expect(partner!.early).toBe(0);
    // The old integration worked until the expiry set weeks before it.
    const [old] = await q<{ expires_at: Date; admitted_after: number; before_expiry: number }>(
      `select k.expires_at,
              (select count(*)::int from public.api_calls c where c.key_id = k.id and c.admitted and c.created_at >= k.expires_at) as admitted_after,
              (select count(*)::int from public.api_calls c where c.key_id = k.id and c.admitted and c.created_at < k.expires_at) as before_expiry
         from public.api_keys k where k.id = $1`,
      [demo.keyIds["Old integration"]],
    );
    expect(new Date(old!.expires_at).getTime() - new Date(changes[1]!.at).getTime()).toBeGreaterThan(20 * DAY);
    expect(old).toMatchObject({ admitted_after: 0 });
    expect(old!.before_expiry).toBeGreaterThan(0);
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
