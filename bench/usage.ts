// `npm run bench` (second part): usage analytics at one million logged calls on PostgreSQL.
// Seeds a fresh database with 1,000,000 calls over 90 days for one team of 20 keys (as
// `npm run seed:scale` does), then times what the dashboard asks for, beside a baseline in the
// same run: the same aggregate computed from the raw call log without the daily rollup.
// Prints figures; asserts nothing. Run with `tsx --conditions=react-server` (lib modules import
// "server-only"). Env: BENCH_ADMIN_URL, SEED_SCALE_CALLS (default 1,000,000), BENCH_REPEAT (5).
import pg from "pg";
import { setDbForTesting } from "../lib/db";
import { migrate } from "../lib/db/migrate";
import { openPostgres } from "../lib/db/postgres";
import { PLANS } from "../lib/plans";
import { exportCallsCsv } from "../lib/usage/export";
import { rebuildUsageRollup } from "../lib/usage/maintenance";
import { callHistory, usageSummary } from "../lib/usage/queries";
import { seedTraffic } from "../lib/usage/seed-traffic";
import { freshUserWithTeam, insertKey } from "../scripts/seed-support";

const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const CALLS = Number(process.env.SEED_SCALE_CALLS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  await fn(); // warm caches and the plan
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    last = await fn();
    ms.push(performance.now() - t);
  }
  return { ms, last: last! };
}

async function main() {
  const dbName = `llavero_usage_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const db = openPostgres(url.toString(), 4);
  setDbForTesting(db);
  try {
    await migrate(db, { installAuthStandIn: true });
    const seedStart = performance.now();
    const { userId, teamId } = await freshUserWithTeam(db, "scale@llavero.local", "llavero-scale-password", "Scale Co.", "business");
    const keyIds: string[] = [];
    for (let i = 1; i <= 20; i++) keyIds.push(await insertKey(db, teamId, userId, `Key ${i}`, 300));
    await seedTraffic(db, { teamId, keyIds, days: 90, calls: CALLS, seed: 0.31, monthlyQuota: PLANS.business.monthlyCalls });
    const rollupRows = await rebuildUsageRollup(db);
    await db.query("analyze");
    const seedSeconds = (performance.now() - seedStart) / 1000;
    // Traffic after the watermark, as a live system has: the raw tail the queries must add.
    await seedTraffic(db, { teamId, keyIds, days: 0.0005, calls: 2_000, seed: 0.5 });

    const viewer = { userId, teamId };
    const busiest = (await db.query<{ key_id: string; n: number }>("select key_id, count(*)::int as n from public.api_calls group by 1 order by 2 desc limit 1")).rows[0]!;
    const rows: [string, number[], string][] = [];

    for (const days of [7, 30, 90] as const) {
      const r = await time(() => usageSummary(viewer, { days }));
      rows.push([`usage page data, ${days} days (rollup + raw tail)`, r.ms, `${r.last.totals.attempts.toLocaleString("en-US")} calls`]);
    }
    const baseline = await time(() =>
      db.query(
        `select (created_at at time zone 'utc')::date as day, key_id, private.status_class(status, admitted), count(*)
           from public.api_calls where team_id = $1 and created_at >= now() - interval '90 days' group by 1, 2, 3`,
        [teamId],
      ),
    );
    rows.push(["baseline: 90-day daily series from the raw log (no rollup, no RLS)", baseline.ms, `${baseline.last.rows.length} points`]);
    const first = await time(() => callHistory(viewer, busiest.key_id, { limit: 50 }));
    rows.push([`first page of a key's history (${busiest.n.toLocaleString("en-US")} calls)`, first.ms, `${first.last.calls.length} rows`]);
    const filtered = await time(() => callHistory(viewer, busiest.key_id, { limit: 50, status: "client_error", endpoint: "/api/public/validate" }));
    rows.push(["first page, filtered (client errors on validate)", filtered.ms, `${filtered.last.calls.length} rows`]);
    const deep = await time(async () => {
      let page = await callHistory(viewer, busiest.key_id, { limit: 200 });
      for (let i = 0; i < 20 && page.next_cursor; i++) page = await callHistory(viewer, busiest.key_id, { limit: 200, cursor: page.next_cursor });
      return page;
    });
    rows.push(["21st page of 200 rows (cursor walk, per page)", deep.ms.map((m) => m / 21), "keyset pagination"]);

    // The export: 100,000 rows streamed, with the heap watched while it runs.
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const exportStart = performance.now();
    const reader = exportCallsCsv(viewer, busiest.key_id, {}).getReader();
    let bytes = 0;
    let lines = 0;
    let lastGcAt = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) lines++;
      // After a collection, what the heap still holds is what the export retains.
      if (global.gc && lines - lastGcAt >= 10_000) {
        lastGcAt = lines;
        global.gc();
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      }
      if (lines > 100_000) break;
    }
    await reader.cancel();
    const exportMs = performance.now() - exportStart;

    console.log(`\nUsage analytics at scale: ${CALLS.toLocaleString("en-US")} calls, 20 keys, 90 days (seeded in ${seedSeconds.toFixed(0)} s; ${rollupRows} rollup rows)`);
    console.log(`${"query".padEnd(72)} ${"median ms".padStart(10)} ${"max ms".padStart(9)}  result`);
    for (const [name, ms, note] of rows) {
      const s = stats(ms);
      console.log(`${name.padEnd(72)} ${s.median.toFixed(1).padStart(10)} ${s.max.toFixed(1).padStart(9)}  ${note}`);
    }
    console.log(
      `CSV export: ${(lines - 1).toLocaleString("en-US")} rows, ${(bytes / 1e6).toFixed(1)} MB in ${(exportMs / 1000).toFixed(2)} s ` +
        `(${Math.round((lines - 1) / (exportMs / 1000)).toLocaleString("en-US")} rows/s); ${global.gc ? `live heap grew by at most ${((heapPeak - heapBefore) / 1e6).toFixed(1)} MB while streaming (sampled after a collection every 10,000 rows)` : "run with NODE_OPTIONS=--expose-gc to measure retained memory"}`,
    );
  } finally {
    setDbForTesting(undefined);
    await db.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

main().catch((err: Error) => {
  console.error(`usage bench failed: ${err.message}`);
  process.exit(1);
});
