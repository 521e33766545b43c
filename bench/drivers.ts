// Driver comparison for issue 14: node-postgres (`pg`, the app's driver) against postgres.js
// (`postgres`) on the hot path's one statement (VERIFY_SQL, a named prepared statement, the same
// parameters and plan JSON), from one process, at a fixed concurrency, spread over many keys.
// Prints calls/s and the client's CPU µs per call (the app's JavaScript thread is what limits
// the app: docs/performance.md). postgres.js is not a dependency: install it without saving.
//
//   npm install --no-save postgres
//   DRIVER_DB=postgres://postgres@127.0.0.1:5432/<scratch> npx tsx --conditions=react-server bench/drivers.ts
//
// DRIVER_DB must be a database it may migrate and seed (it adds one team and DRIVER_KEYS keys).
// Env: DRIVER_SECONDS (per round, default 8), DRIVER_CONCURRENCY (default 10), DRIVER_ROUNDS
// (alternating pg / postgres.js rounds, default 3), DRIVER_KEYS (default 500).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { openPostgres } from "../lib/db/postgres";
import { displayParts, generateApiKey, hashApiKey } from "../lib/keys/format";
import { planLimitsForSql } from "../lib/plans";
import { VERIFY_SQL } from "../lib/public-api/verify";

const url = process.env.DRIVER_DB;
const SECONDS = Number(process.env.DRIVER_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.DRIVER_CONCURRENCY ?? 10);
const ROUNDS = Number(process.env.DRIVER_ROUNDS ?? 3);
const KEYS = Number(process.env.DRIVER_KEYS ?? 500);

type Call = (params: unknown[]) => Promise<string>;

async function seed(): Promise<string[]> {
  const db = openPostgres(url!, 2);
  await migrate(db, { installAuthStandIn: true });
  const keys = Array.from({ length: KEYS }, () => generateApiKey());
  await db.transaction(async (tx) => {
    const user = (await tx.query<{ id: string }>("insert into auth.users (email) values ($1) returning id", [`drivers-${randomUUID()}@example.com`])).rows[0]!;
    const team = (await tx.query<{ id: string }>("insert into public.teams (name, owner_id, plan) values ('Drivers', $1, 'business') returning id", [user.id])).rows[0]!;
    for (const k of keys) {
      const { prefix, last4 } = displayParts(k);
      const row = await tx.query<{ id: string }>(
        `insert into public.api_keys (team_id, created_by, name, prefix, last4, scopes, rate_limit_per_minute)
         values ($1, $2, 'driver key', $3, $4, array['ping'], 300) returning id`,
        [team.id, user.id, prefix, last4],
      );
      await tx.query("insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hashApiKey(k), row.rows[0]!.id]);
    }
  });
  await db.close();
  return keys.map(hashApiKey);
}

async function round(name: string, call: Call, hashes: string[]): Promise<{ name: string; rate: number; cpuUs: number }> {
  const plans = planLimitsForSql();
  let n = 0;
  let i = 0;
  const end = Date.now() + SECONDS * 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const j = await call([hashes[i++ % hashes.length], "/api/public/ping", "GET", "ping", "127.0.0.1", "drivers", false, plans, randomUUID(), 200]);
        JSON.parse(j);
        n++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { name, rate: n / seconds, cpuUs: (cpu.user + cpu.system) / n };
}

async function main() {
  if (!url) throw new Error("set DRIVER_DB to a scratch PostgreSQL database");
  const pkg = "postgres";
  const postgres = ((await import(pkg)) as { default: (u: string, o: object) => PgJs }).default;
  const hashes = await seed();

  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const pgCall: Call = async (params) => (await pool.query<{ j: string }>({ name: "verify", text: VERIFY_SQL, values: params })).rows[0]!.j;
  const sql = postgres(url, { max: 10, prepare: true });
  const pgjsCall: Call = async (params) => ((await sql.unsafe(VERIFY_SQL, params, { prepare: true })) as Array<{ j: string }>)[0]!.j;

  // Warm both up (connections, prepared statements, JIT).
  await round("pg warm-up", pgCall, hashes);
  await round("postgres.js warm-up", pgjsCall, hashes);
  const results: Array<{ name: string; rate: number; cpuUs: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    results.push(await round("pg", pgCall, hashes));
    results.push(await round("postgres.js", pgjsCall, hashes));
  }
  for (const x of results) console.log(`${x.name.padEnd(12)} ${x.rate.toFixed(0).padStart(6)} calls/s  ${x.cpuUs.toFixed(1).padStart(6)} µs client CPU per call`);
  const median = (name: string, f: (x: { rate: number; cpuUs: number }) => number) => {
    const v = results.filter((x) => x.name === name).map(f).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)]!;
  };
  for (const name of ["pg", "postgres.js"]) {
    console.log(`median ${name}: ${median(name, (x) => x.rate).toFixed(0)} calls/s, ${median(name, (x) => x.cpuUs).toFixed(1)} µs client CPU per call`);
  }
  await pool.end();
  await sql.end();
}

interface PgJs {
  unsafe(text: string, params: unknown[], opts: { prepare: boolean }): Promise<unknown>;
  end(): Promise<void>;
}

main().catch((err: Error) => {
  console.error(`drivers: ${err.message}`);
  process.exit(1);
});
