import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createKey, type Actor } from "@/lib/keys/lifecycle";
import { exportCallsCsv } from "@/lib/usage/export";
import { ensureCallLogPartitions, runUsageMaintenance } from "@/lib/usage/maintenance";
import { callHistory, usageSummary } from "@/lib/usage/queries";
import { testDatabases, type TestDatabase } from "../databases";
import { addMember, createTeamAs, createUser } from "../fixtures";

const scopes = ["ping", "validate", "audit:read", "audit:write"] as ("ping" | "validate" | "audit:read" | "audit:write")[];
const DAY = 86_400_000;

describe.each(testDatabases())("usage analytics on $name", ({ open }) => {
  let t: TestDatabase;
  let teamId: string;
  let owner: Actor;
  let member: Actor;
  let keyA: string;
  let keyB: string;
  const now = new Date();

  /** Calls spread over 20 days: a deterministic mix of endpoints, statuses and keys. */
  async function seedCalls(count: number, opts: { keyId: string; startMsAgo: number; spanMs: number }) {
    await t.db.query(
      `insert into public.api_calls (team_id, key_id, created_at, request_id, endpoint, method, admitted, metered, status, error_code, latency_ms, ip)
       select $1, $2, now() - make_interval(secs => ($3::bigint - (g * $4::bigint / $5)) / 1000.0), 'seed-' || g,
              case g % 3 when 0 then '/api/public/ping' when 1 then '/api/public/validate' else '/api/public/audit' end,
              case g % 3 when 1 then 'POST' else 'GET' end,
              g % 7 <> 0, g % 7 <> 0 and g % 3 <> 0,
              case when g % 7 = 0 then 429 when g % 11 = 0 then 400 else 200 end,
              case when g % 7 = 0 then 'rate_limited' when g % 11 = 0 then 'invalid_request' else null end,
              g % 50, '203.0.113.9'
         from generate_series(1, $5) g`,
      [teamId, opts.keyId, opts.startMsAgo, opts.spanMs, count],
    );
  }

  async function rawTotals(keyId: string | null, fromDay: string) {
    const { rows } = await t.db.query<{ day: string; status_class: string; calls: number }>(
      `select (created_at at time zone 'utc')::date::text as day, private.status_class(status, admitted) as status_class, count(*)::int as calls
         from public.api_calls where team_id = $1 and ($2::uuid is null or key_id = $2) and created_at >= ($3::date)::timestamp at time zone 'utc'
        group by 1, 2 order by 1, 2`,
      [teamId, keyId, fromDay],
    );
    return rows;
  }

  function collapse(daily: { day: string; status_class: string; calls: number }[]) {
    const m = new Map<string, number>();
    for (const d of daily) m.set(`${d.day}|${d.status_class}`, (m.get(`${d.day}|${d.status_class}`) ?? 0) + d.calls);
    return [...m.entries()].sort().map(([k, calls]) => ({ day: k.split("|")[0], status_class: k.split("|")[1], calls }));
  }

  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
    const tag = `${Date.now()}`;
    const o = await createUser(t.db, `uowner-${tag}@example.com`);
    const m = await createUser(t.db, `umember-${tag}@example.com`);
    teamId = await createTeamAs(t.db, o, "Usage team");
    await addMember(t.db, teamId, m, "member");
    await t.db.query("update public.teams set plan = 'pro' where id = $1", [teamId]);
    owner = { userId: o, teamId, ip: "127.0.0.1" };
    member = { userId: m, teamId, ip: "127.0.0.1" };
    keyA = (await createKey(owner, { name: "A", scopes, ip_allowlist: [] })).key.id;
    keyB = (await createKey(member, { name: "B", scopes, ip_allowlist: [] })).key.id;
    await seedCalls(700, { keyId: keyA, startMsAgo: 20 * DAY, spanMs: 20 * DAY - 10_000 });
    await seedCalls(300, { keyId: keyB, startMsAgo: 10 * DAY, spanMs: 10 * DAY - 10_000 });
  });
  afterAll(async () => {
    setDbForTesting(undefined);
    await t?.dispose();
  });

  it("aggregates match the raw log before, during and after the rollup", async () => {
    const check = async () => {
      const s = await usageSummary(owner, { days: 30 }, now);
      expect(collapse(s.daily)).toEqual(await rawTotals(null, s.from));
      expect(s.totals.attempts).toBe(1000);
      const endpointTotal = s.endpoints.reduce((a, e) => a + e.calls, 0);
      expect(endpointTotal).toBe(1000);
      const rl = s.error_codes.find((c) => c.error_code === "rate_limited")!.calls;
      const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where error_code = 'rate_limited' and team_id = $1", [teamId]);
      expect(rl).toBe(rows[0]!.n);
    };
    await check();
    // Roll up to the middle of the history: half from the rollup, half from the raw tail.
    await t.db.query("select public.roll_up_usage(now() - interval '7 days')");
    await check();
    await runUsageMaintenance(t.db, { retentionDays: 90 });
    await check();
    const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from public.usage_daily where team_id = $1", [teamId]);
    expect(rows[0]!.n).toBeGreaterThan(0);
    // Running again folds nothing twice.
    await runUsageMaintenance(t.db, { retentionDays: 90 });
    await check();
  });

  it("the 7-day range counts only the last 7 days", async () => {
    const s = await usageSummary(owner, { days: 7 }, now);
    expect(collapse(s.daily)).toEqual(await rawTotals(null, s.from));
    expect(s.totals.attempts).toBeLessThan(1000);
  });

  it("members see their own keys' usage and the team's quota; owners see everything", async () => {
    const ms = await usageSummary(member, { days: 90 }, now);
    expect(new Set(ms.daily.map((d) => d.key_id))).toEqual(new Set([keyB]));
    expect(ms.totals.attempts).toBe(300);
    expect(ms.quota.limit).toBe(2000);
    expect(ms.keys.map((k) => k.name)).toEqual(["B"]);
    const os = await usageSummary(owner, { days: 90 }, now);
    expect(new Set(os.daily.map((d) => d.key_id))).toEqual(new Set([keyA, keyB]));
    await expect(callHistory(member, keyA, { limit: 10 })).rejects.toBeInstanceOf(AppError);
    await expect(usageSummary(member, { days: 7, keyId: keyA }, now)).rejects.toMatchObject({ code: "not_found" });
    expect((await callHistory(owner, keyB, { limit: 10 })).calls).toHaveLength(10);
  });

  it("history filters by status class, endpoint and dates", async () => {
    const errors = await callHistory(owner, keyA, { status: "client_error", limit: 200 });
    expect(errors.calls.length).toBeGreaterThan(0);
    expect(errors.calls.every((c) => (c.status ?? 0) >= 400 && (c.status ?? 0) < 500)).toBe(true);
    const pings = await callHistory(owner, keyA, { endpoint: "/api/public/ping", limit: 200 });
    expect(pings.calls.every((c) => c.endpoint === "/api/public/ping")).toBe(true);
    const day = new Date(now.getTime() - 5 * DAY).toISOString().slice(0, 10);
    const oneDay = await callHistory(owner, keyA, { from: day, to: day, limit: 200 });
    expect(oneDay.calls.length).toBeGreaterThan(0);
    expect(oneDay.calls.every((c) => c.created_at.slice(0, 10) === day)).toBe(true);
  });

  it("pagination is stable while new calls arrive", async () => {
    const all: number[] = [];
    let page = await callHistory(owner, keyB, { limit: 40 });
    const expected = (await t.db.query<{ id: number }>("select id from public.api_calls where key_id = $1 order by created_at desc, id desc", [keyB])).rows.map((r) => r.id);
    all.push(...page.calls.map((c) => c.id));
    let round = 0;
    while (page.next_cursor) {
      // New traffic lands between page loads; it must not shift or repeat what follows.
      await seedCalls(3, { keyId: keyB, startMsAgo: 1000, spanMs: 500 });
      page = await callHistory(owner, keyB, { limit: 40, cursor: page.next_cursor });
      all.push(...page.calls.map((c) => c.id));
      round++;
    }
    expect(round).toBeGreaterThan(5);
    expect(all).toEqual(expected);
  });

  it("exports the filtered rows as CSV in batches", async () => {
    const stream = exportCallsCsv(owner, keyA, { endpoint: "/api/public/validate" });
    const text = await new Response(stream).text();
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("time,endpoint,method,status,error_code,admitted,latency_ms,ip,summary");
    const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where key_id = $1 and endpoint = '/api/public/validate'", [keyA]);
    expect(lines.length - 1).toBe(rows[0]!.n);
    expect(lines.slice(1).every((l) => l.includes(",/api/public/validate,POST,"))).toBe(true);
  });

  it("retention drops whole day partitions older than the retention period, and only once rolled up", async () => {
    const before = await usageSummary(owner, { days: 30 }, now);
    // Retention is whole UTC days: rows before the start of the cutoff's day go.
    const dayStart = "date_trunc('day', (now() - interval '15 days') at time zone 'utc') at time zone 'utc'";
    const old = (await t.db.query<{ n: number }>(`select count(*)::int as n from public.api_calls where team_id = $1 and created_at < ${dayStart}`, [teamId])).rows[0]!.n;
    const total = (await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where team_id = $1", [teamId])).rows[0]!.n;
    expect(old).toBeGreaterThan(0);
    // The seeded past days landed in the default partition; upkeep gives them their own partitions.
    await ensureCallLogPartitions(t.db);
    const inDefault = (await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls_default")).rows[0]!.n;
    expect(inDefault).toBe(0);
    // Not yet rolled up past the cutoff: nothing may go.
    await t.db.query("update public.usage_rollup_state set rolled_up_to = now() - interval '30 days'");
    expect((await t.db.query<{ n: number }>("select public.drop_expired_api_call_partitions(now() - interval '15 days') as n")).rows[0]!.n).toBe(0);
    expect((await t.db.query<{ n: number }>("select public.purge_call_history(now() - interval '15 days') as n")).rows[0]!.n).toBe(0);
    expect((await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where team_id = $1", [teamId])).rows[0]!.n).toBe(total);
    // Recount from scratch so the rollup and the watermark agree again, then purge.
    await t.db.query("delete from public.usage_daily");
    await t.db.query("update public.usage_rollup_state set rolled_up_to = '-infinity'");
    const result = await runUsageMaintenance(t.db, { retentionDays: 15 });
    expect(result.partitionsDropped).toBeGreaterThan(0);
    expect(result.purged).toBe(0);
    const after = (await t.db.query<{ n: number; oldest: Date }>("select count(*)::int as n, min(created_at) as oldest from public.api_calls where team_id = $1", [teamId])).rows[0]!;
    expect(after.n).toBe(total - old);
    expect(after.oldest.getTime()).toBeGreaterThanOrEqual(Math.floor((Date.now() - 15 * DAY - 60_000) / DAY) * DAY);
    // The charts keep the purged days: the rollup still has them.
    const s = await usageSummary(owner, { days: 30 }, now);
    expect(s.totals.attempts).toBe(before.totals.attempts);
  });
});
