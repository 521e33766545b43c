// `npm run bench` (second part): usage analytics and the partitioned call log at scale on
// PostgreSQL. Seeds a fresh database with BENCH_CALLS calls (default 1,000,000; 10,000,000 is
// the large run, never in CI) over 90 days for one team of 20 keys, streamed with COPY as
// `npm run seed:scale` does, then times what the dashboard asks for (p50/p95), beside a
// baseline in the same run (the same aggregate from the raw log without the daily rollup);
// prints the storage figures docs/scale.md uses (bytes per row, partitions, indexes); and times
// retention of the oldest month: dropping its day partitions beside a plain DELETE of the same
// rows on an unpartitioned copy of the same size (time-boxed: "> N s" when it runs out).
// Prints figures; asserts nothing. Run with `tsx --conditions=react-server` (lib modules import
// "server-only"). Env: BENCH_ADMIN_URL, BENCH_CALLS (or SEED_SCALE_CALLS), BENCH_REPEAT (20),
// BENCH_SEED_MAX_SECONDS (1800), BENCH_DELETE_MAX_SECONDS (120), BENCH_REUSE_DATABASE.
import pg from "pg";
import { setDbForTesting } from "../lib/db";
import { migrate } from "../lib/db/migrate";
import { openPostgres } from "../lib/db/postgres";
import type { Database } from "../lib/db/types";
import { PLANS } from "../lib/plans";
import { exportCallsCsv } from "../lib/usage/export";
import { COMPLETE_SQL, completionParams } from "../lib/public-api/call-log";
import { rebuildUsageRollup } from "../lib/usage/maintenance";
import { callHistory, usageSummary } from "../lib/usage/queries";
import { copyTraffic } from "../lib/usage/seed-copy";
import { recountTraffic, seedTraffic } from "../lib/usage/seed-traffic";
import { freshUserWithTeam, insertKey } from "../scripts/seed-support";

const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const CALLS = Number(process.env.BENCH_CALLS ?? process.env.SEED_SCALE_CALLS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 20);
const SEED_MAX_SECONDS = Number(process.env.BENCH_SEED_MAX_SECONDS ?? 1800);
const DELETE_MAX_SECONDS = Number(process.env.BENCH_DELETE_MAX_SECONDS ?? 120);
/** The name of a database a previous run seeded, to time it again without seeding (kept afterwards). */
const REUSE = process.env.BENCH_REUSE_DATABASE;

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), max: s.at(-1)! };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function time<T>(fn: () => Promise<T>, repeat = REPEAT): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  await fn(); // warm caches and the plan
  for (let i = 0; i < repeat; i++) {
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
  if (!REUSE) await admin.query(`create database ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${REUSE ?? dbName}`;
  const db = openPostgres(url.toString(), 4);
  setDbForTesting(db);
  try {
    await migrate(db, { installAuthStandIn: true });
    const seedStart = performance.now();
    let userId: string;
    let teamId: string;
    const keyIds: string[] = [];
    if (REUSE) {
      // A database a previous run seeded (its process stopped before the end): no new seeding.
      const t = (await db.query<{ id: string; owner_id: string }>("select id, owner_id from public.teams where name = 'Scale Co.'")).rows[0]!;
      teamId = t.id;
      userId = t.owner_id;
      keyIds.push(...(await db.query<{ id: string }>("select id from public.api_keys where team_id = $1 order by created_at", [teamId])).rows.map((r) => r.id));
    } else {
      ({ userId, teamId } = await freshUserWithTeam(db, "scale@llavero.local", "llavero-scale-password", "Scale Co.", "business"));
      for (let i = 1; i <= 20; i++) keyIds.push(await insertKey(db, teamId, userId, `Key ${i}`, 300));
    }
    const seeded = REUSE ? { written: 0, ms: NaN, stopped: false } : await copyTraffic(url.toString(), {
      teamId,
      keyIds,
      days: 90,
      calls: CALLS,
      seed: 31,
      timeBoxMs: SEED_MAX_SECONDS * 1000,
      onProgress: (done) => process.stdout.write(`\r  seeding: ${done.toLocaleString("en-US")} of ${CALLS.toLocaleString("en-US")} rows (${((performance.now() - seedStart) / 1000).toFixed(0)} s)`),
    });
    process.stdout.write("\n");
    if (seeded.stopped) console.log(`  seeding time box (${SEED_MAX_SECONDS} s) reached: ${seeded.written.toLocaleString("en-US")} rows`);
    const copySeconds = seeded.ms / 1000;
    let rollupRows = 0;
    if (!REUSE) {
      await recountTraffic(db, teamId, PLANS.business.monthlyCalls);
      rollupRows = await rebuildUsageRollup(db);
      await db.query("analyze");
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;
    // Traffic after the watermark, as a live system has: the raw tail the queries must add.
    if (!REUSE) await seedTraffic(db, { teamId, keyIds, days: 0.0005, calls: 2_000, seed: 0.5 });

    const viewer = { userId, teamId };
    const busiest = (await db.query<{ key_id: string; n: number }>("select key_id, count(*)::int as n from public.api_calls group by 1 order by 2 desc limit 1")).rows[0]!;
    const rows: [string, number[], string][] = [];
    const totalRows = (await db.query<{ n: string }>("select count(*) as n from public.api_calls")).rows[0]!.n;

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
      // Seconds a run at 10M rows: three runs say enough about the scan it is.
      Math.min(REPEAT, 3),
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
    // The call-log completion batch (lib/public-api/call-log.ts): by id, pruned to the last day.
    const recent = (await db.query<{ id: string; created_at: Date }>("select id, created_at from public.api_calls where created_at > now() - interval '1 day' order by id desc limit 500")).rows;
    const batch = recent.map((r) => ({ callId: Number(r.id), at: new Date(r.created_at).getTime(), status: 200, latencyMs: 12, summary: null, errorCode: null }));
    const completion = await time(() => db.query(COMPLETE_SQL, completionParams(batch)));
    rows.push([`call-log completion batch of ${batch.length} rows (update by id, last day)`, completion.ms, "off the request path"]);

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

    console.log(
      `\nUsage analytics at scale: ${Number(totalRows).toLocaleString("en-US")} calls, 20 keys, 90 days, daily partitions ` +
        `(COPY ${copySeconds.toFixed(0)} s = ${Math.round(seeded.written / copySeconds).toLocaleString("en-US")} rows/s; seeded with rollup in ${seedSeconds.toFixed(0)} s; ${rollupRows} rollup rows; ${REPEAT} runs each)`,
    );
    console.log(`${"query".padEnd(72)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"max ms".padStart(8)}  result`);
    for (const [name, ms, note] of rows) {
      const s = stats(ms);
      console.log(`${name.padEnd(72)} ${s.median.toFixed(1).padStart(8)} ${s.p95.toFixed(1).padStart(8)} ${s.max.toFixed(1).padStart(8)}  ${note}`);
    }
    console.log(
      `CSV export: ${(lines - 1).toLocaleString("en-US")} rows, ${(bytes / 1e6).toFixed(1)} MB in ${(exportMs / 1000).toFixed(2)} s ` +
        `(${Math.round((lines - 1) / (exportMs / 1000)).toLocaleString("en-US")} rows/s); ${global.gc ? `live heap grew by at most ${((heapPeak - heapBefore) / 1e6).toFixed(1)} MB while streaming (sampled after a collection every 10,000 rows)` : "run with NODE_OPTIONS=--expose-gc to measure retained memory"}`,
    );

    await storageFigures(db);
    await retention(db);
  } finally {
    setDbForTesting(undefined);
    await db.close();
    if (!REUSE) await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

/** What docs/scale.md's arithmetic starts from: bytes per row on disk, per index, per partition. */
async function storageFigures(db: Database) {
  const { rows } = await db.query<{ parts: number; rows: string; heap: string; idx: string; toast: string; biggest: string; biggest_rows: string }>(
    `select count(*)::int as parts, sum(c.reltuples)::bigint as rows,
            sum(pg_relation_size(c.oid))::bigint as heap, sum(pg_indexes_size(c.oid))::bigint as idx,
            sum(coalesce(pg_total_relation_size(c.reltoastrelid), 0))::bigint as toast,
            max(pg_total_relation_size(c.oid))::bigint as biggest, max(c.reltuples)::bigint as biggest_rows
       from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'public.api_calls'::regclass`,
  );
  const r = rows[0]!;
  const n = Number(r.rows);
  const col = (await db.query<{ avg: string }>("select avg(pg_column_size(c.*))::numeric(10,1) as avg from (select * from public.api_calls tablesample system (1)) c")).rows[0]!.avg;
  const perIndex = await db.query<{ name: string; bytes: string }>(
    `select regexp_replace(ic.relname, '^api_calls_p[0-9]{8}_|^api_calls_default_', '') as name, sum(pg_relation_size(ic.oid))::bigint as bytes
       from pg_inherits i join pg_index x on x.indrelid = i.inhrelid join pg_class ic on ic.oid = x.indexrelid
      where i.inhparent = 'public.api_calls'::regclass group by 1 order by 2 desc`,
  );
  console.log(`\nCall-log storage: ${n.toLocaleString("en-US")} rows in ${r.parts} partitions (largest ${mb(Number(r.biggest))}, ~${Number(r.biggest_rows).toLocaleString("en-US")} rows)`);
  console.log(`  heap ${mb(Number(r.heap))} (${(Number(r.heap) / n).toFixed(0)} B/row on disk; pg_column_size of a row: ${col} B), toast ${mb(Number(r.toast))}`);
  console.log(`  indexes ${mb(Number(r.idx))} (${(Number(r.idx) / n).toFixed(0)} B/row): ${perIndex.rows.map((x) => `${x.name} ${(Number(x.bytes) / n).toFixed(0)} B/row`).join(", ")}`);
}

/**
 * Retention of the oldest month: the rows before the start of the UTC day 60 days ago. A plain
 * DELETE on an unpartitioned copy of the whole log (same rows, same indexes), time-boxed, then
 * the partition drop on the real log.
 */
async function retention(db: Database) {
  const cutoffSql = "date_trunc('day', (now() - interval '60 days') at time zone 'utc') at time zone 'utc'";
  const cutoff = (await db.query<{ c: Date }>(`select ${cutoffSql} as c`)).rows[0]!.c;
  const month = (await db.query<{ n: string }>("select count(*) as n from public.api_calls where created_at < $1", [cutoff])).rows[0]!.n;
  const copyStart = performance.now();
  await db.exec("create table public.bench_plain_calls (like public.api_calls including defaults including indexes)");
  await db.exec("insert into public.bench_plain_calls overriding system value select * from public.api_calls");
  await db.exec("vacuum analyze public.bench_plain_calls");
  const copyS = (performance.now() - copyStart) / 1000;
  let deleteResult: string;
  const del = performance.now();
  try {
    await db.transaction(async (tx) => {
      await tx.query(`set local statement_timeout = ${DELETE_MAX_SECONDS * 1000}`);
      await tx.query("delete from public.bench_plain_calls where created_at < $1", [cutoff]);
    });
    deleteResult = `${((performance.now() - del) / 1000).toFixed(2)} s`;
  } catch (err) {
    if ((err as { code?: string }).code !== "57014") throw err;
    deleteResult = `> ${DELETE_MAX_SECONDS} s (time box; cancelled)`;
  }
  await db.exec("drop table public.bench_plain_calls");
  // The rollup covers everything up to a minute ago (rebuilt after seeding), so the drop may go.
  const drop = performance.now();
  const dropped = (await db.query<{ n: number }>("select public.drop_expired_api_call_partitions($1) as n", [cutoff])).rows[0]!.n;
  const dropS = (performance.now() - drop) / 1000;
  console.log(`\nRetention of the oldest month: ${Number(month).toLocaleString("en-US")} rows before ${cutoff.toISOString().slice(0, 10)} (unpartitioned copy made in ${copyS.toFixed(0)} s)`);
  console.log(`  ${"drop of its day partitions".padEnd(40)} ${`${dropS.toFixed(3)} s`.padStart(12)}  (${dropped} partitions)`);
  console.log(`  ${"DELETE of the same rows, unpartitioned".padEnd(40)} ${deleteResult.padStart(12)}`);
}

main().catch((err: Error) => {
  console.error(`usage bench failed: ${err.message}`);
  process.exit(1);
});
