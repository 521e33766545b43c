// Hot rows (issue 14): verify_api_call's throughput when many calls wait on one row, against the
// previous definition in the same run. Calls on one key all update that key's row, and metered
// calls of one team all update the team's usage row; each holds the row lock to commit, so such
// calls run one at a time (that is what keeps limits exact). How the waiters queue is what
// changed (20261202000050_verify_lock_queues.sql): an advisory lock before the row lock.
//
// Scenarios, each at every concurrency, current and baseline in alternating rounds (medians):
//   - spread:     ping over KEYS keys of one team (little waiting: the common case);
//   - one key:    ping, every call on the same key;
//   - one team:   metered calls (as validate) over KEYS keys of one team.
// The baseline is 20261201000200_log_once.sql's verify_api_call, installed as
// bench_baseline.verify_api_call in the same throwaway database. Plan rate ceilings are lifted
// for the run (the key's own limit still applies and is set high), so nothing is refused.
// Prints figures; asserts nothing.
//
//   npx tsx --conditions=react-server bench/hot-rows.ts
//
// Env: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), HOT_SECONDS (per
// round, default 5), HOT_ROUNDS (default 2), HOT_CONCURRENCY (default "10,20,50"), HOT_KEYS (1000).
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { openPostgres } from "../lib/db/postgres";
import { displayParts, generateApiKey, hashApiKey } from "../lib/keys/format";
import { planLimitsForSql } from "../lib/plans";
import { VERIFY_SQL } from "../lib/public-api/verify";

const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SECONDS = Number(process.env.HOT_SECONDS ?? 5);
const ROUNDS = Number(process.env.HOT_ROUNDS ?? 2);
const CONCURRENCY = (process.env.HOT_CONCURRENCY ?? "10,20,50").split(",").map(Number);
const KEYS = Number(process.env.HOT_KEYS ?? 1000);
const BASELINE_MIGRATION = "20261201000200_log_once.sql";
const BASELINE_SQL = VERIFY_SQL.replace("public.verify_api_call(", "bench_baseline.verify_api_call(");

/** The baseline function: the previous migration's definition under another schema. */
function baselineDefinition(): string {
  const src = fs.readFileSync(path.join(import.meta.dirname, "..", "supabase", "migrations", BASELINE_MIGRATION), "utf8");
  const start = src.indexOf("create function public.verify_api_call(");
  const end = src.indexOf("$$;", start) + 3;
  if (start < 0 || end < 3) throw new Error(`no verify_api_call definition in ${BASELINE_MIGRATION}`);
  return src.slice(start, end).replace("create function public.verify_api_call(", "create function bench_baseline.verify_api_call(");
}

/** Plans as the app passes them, with the per-minute ceilings lifted so no call is refused. */
function liftedPlans(): string {
  const plans = JSON.parse(planLimitsForSql()) as Record<string, Record<string, unknown>>;
  for (const p of Object.values(plans)) p.rate_ceiling_per_minute = 1_000_000_000;
  return JSON.stringify(plans);
}

interface Scenario {
  name: string;
  keyFor: (i: number) => string;
  metered: boolean;
}

async function round(pool: pg.Pool, sql: string, s: Scenario, concurrency: number, plans: string): Promise<number> {
  let n = 0;
  let i = 0;
  const end = Date.now() + SECONDS * 1000;
  const t0 = performance.now();
  const endpoint = s.metered ? ["/api/public/validate", "POST", "validate"] : ["/api/public/ping", "GET", "ping"];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const { rows } = await pool.query<{ j: string }>({
          name: sql === VERIFY_SQL ? "current" : "baseline",
          text: sql,
          values: [s.keyFor(i++), ...endpoint, "127.0.0.1", "bench-hot-rows", s.metered, plans, randomUUID(), s.metered ? null : 200],
        });
        if ((JSON.parse(rows[0]!.j) as { outcome: string }).outcome !== "ok") throw new Error(`refused: ${rows[0]!.j}`);
        n++;
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function main() {
  const dbName = `llavero_hot_rows_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  try {
    const db = openPostgres(url.toString(), 2);
    await migrate(db, { installAuthStandIn: true });
    await db.query("create schema bench_baseline");
    await db.query(baselineDefinition());
    const secrets = Array.from({ length: KEYS }, () => generateApiKey());
    await db.transaction(async (tx) => {
      const user = (await tx.query<{ id: string }>("insert into auth.users (email) values ($1) returning id", [`hot-rows-${randomUUID()}@example.com`])).rows[0]!;
      const team = (await tx.query<{ id: string }>("insert into public.teams (name, owner_id, plan) values ('Hot rows', $1, 'business') returning id", [user.id])).rows[0]!;
      for (const k of secrets) {
        const { prefix, last4 } = displayParts(k);
        const row = await tx.query<{ id: string }>(
          `insert into public.api_keys (team_id, created_by, name, prefix, last4, scopes, rate_limit_per_minute)
           values ($1, $2, 'hot key', $3, $4, array['ping', 'validate'], 1000000000) returning id`,
          [team.id, user.id, prefix, last4],
        );
        await tx.query("insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hashApiKey(k), row.rows[0]!.id]);
      }
    });
    await db.close();
    const hashes = secrets.map(hashApiKey);
    const plans = liftedPlans();
    const scenarios: Scenario[] = [
      { name: `spread over ${KEYS} keys, ping`, keyFor: (i) => hashes[i % hashes.length]!, metered: false },
      { name: "one key, ping", keyFor: () => hashes[0]!, metered: false },
      { name: `one team's metered calls (${KEYS} keys)`, keyFor: (i) => hashes[i % hashes.length]!, metered: true },
    ];

    console.log(`\nHot rows: verify_api_call (current) against ${BASELINE_MIGRATION} (baseline), same database, ${ROUNDS} alternating rounds of ${SECONDS} s, medians\n`);
    console.log("| scenario | clients | baseline calls/s | current calls/s | current / baseline |");
    console.log("|:--|--:|--:|--:|--:|");
    for (const s of scenarios) {
      for (const c of CONCURRENCY) {
        const pool = new pg.Pool({ connectionString: url.toString(), max: c });
        // The final forced drop of the database ends any connection still closing.
        pool.on("error", () => {});
        const runs = { current: [] as number[], baseline: [] as number[] };
        await round(pool, VERIFY_SQL, s, c, plans); // warm: connections, prepared statements
        await round(pool, BASELINE_SQL, s, c, plans);
        for (let r = 0; r < ROUNDS; r++) {
          runs.baseline.push(await round(pool, BASELINE_SQL, s, c, plans));
          runs.current.push(await round(pool, VERIFY_SQL, s, c, plans));
        }
        await pool.end();
        const b = median(runs.baseline);
        const cur = median(runs.current);
        console.log(`| ${s.name} | ${c} | ${b.toFixed(0)} | ${cur.toFixed(0)} | ×${(cur / b).toFixed(2)} |`);
      }
    }
  } finally {
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

main().catch((err: Error) => {
  console.error(`hot-rows: ${err.message}`);
  process.exit(1);
});
