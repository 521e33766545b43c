import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as ping } from "@/app/api/public/ping/route";
import { POST as validate } from "@/app/api/public/validate/route";
import { setDbForTesting } from "@/lib/db";
import { flushCallLog } from "@/lib/public-api/call-log";
import { apiRequest, makeKey, makeTeam } from "../api-fixtures";
import { openPostgresTestDb, type TestDatabase } from "../databases";

/**
 * Exactness under concurrency needs a server that runs queries in parallel: PGlite serialises
 * everything through one connection, so it would prove nothing. These run on PostgreSQL.
 */
const N = 240;

describe.skipIf(!process.env.TEST_DATABASE_URL)("limits stay exact under concurrency (PostgreSQL)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openPostgresTestDb(40);
    setDbForTesting(t.db);
  });
  afterAll(async () => {
    await flushCallLog();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  async function burst(make: () => Request, handler: (r: Request) => Promise<Response>): Promise<Map<number, number>> {
    const statuses = await Promise.all(Array.from({ length: N }, () => handler(make()).then((r) => r.status)));
    const counts = new Map<number, number>();
    for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
    return counts;
  }

  async function waitClearOfMinuteBoundary() {
    const ms = 60_000 - (Date.now() % 60_000);
    if (ms < 10_000) await new Promise((r) => setTimeout(r, ms + 200));
  }

  /** `seeded`: quota the test wrote directly, with no call-log rows behind it. */
  async function expectCountersMatchLog(keyId: string, teamId: string, seeded = 0) {
    const { rows } = await t.db.query<{ admitted: number; uses: number; metered: number; team_calls: number }>(
      `select (select count(*) from public.api_calls where key_id = $1 and admitted)::int as admitted,
              (select uses_total from public.api_keys where id = $1)::int as uses,
              (select count(*) from public.api_calls where team_id = $2 and metered)::int as metered,
              (select coalesce(sum(calls), 0) from public.team_usage where team_id = $2)::int as team_calls`,
      [keyId, teamId],
    );
    expect(rows[0]!.admitted).toBe(rows[0]!.uses);
    expect(rows[0]!.metered + seeded).toBe(rows[0]!.team_calls);
  }

  it(`team quota: ${N} concurrent calls with 37 remaining admit exactly 37`, async () => {
    // Business (300/min ceiling, above the burst) with a hard cap of 0 overage: the monthly
    // quota alone decides.
    const team = await makeTeam(t.db, "business");
    await t.db.query("update public.teams set overage_hard_cap = 0 where id = $1", [team.teamId]);
    const k = await makeKey(team);
    await t.db.query("insert into public.team_usage (team_id, month, calls) values ($1, date_trunc('month', now() at time zone 'utc')::date, 9963)", [team.teamId]);
    const counts = await burst(() => apiRequest("/api/public/validate", { key: k.secret, body: { rfc: "GODE561231GR8" } }), validate);
    expect(counts.get(200)).toBe(37);
    expect(counts.get(429)).toBe(N - 37);
    const { rows } = await t.db.query<{ calls: number }>("select calls from public.team_usage where team_id = $1", [team.teamId]);
    expect(rows[0]!.calls).toBe(10_000);
    await expectCountersMatchLog(k.key.id, team.teamId, 9963);
  });

  it(`total-use cap: ${N} concurrent calls with a cap of 53 admit exactly 53`, async () => {
    const team = await makeTeam(t.db, "business");
    const k = await makeKey(team, { use_cap: 53 });
    const counts = await burst(() => apiRequest("/api/public/ping", { key: k.secret }), ping);
    expect(counts.get(200)).toBe(53);
    // A spent cap answers 403 usage_exhausted since issue 13 (it was 429 quota_exceeded).
    expect(counts.get(403)).toBe(N - 53);
    await expectCountersMatchLog(k.key.id, team.teamId);
  });

  it(`rate window: ${N} concurrent calls against a limit of 29/min admit exactly 29`, async () => {
    const team = await makeTeam(t.db, "pro");
    const k = await makeKey(team, { rate_limit_per_minute: 29 });
    await waitClearOfMinuteBoundary();
    const counts = await burst(() => apiRequest("/api/public/validate", { key: k.secret, body: { rfc: "MAB9307148T4" } }), validate);
    expect(counts.get(200)).toBe(29);
    expect(counts.get(429)).toBe(N - 29);
    await expectCountersMatchLog(k.key.id, team.teamId);
  });
});
