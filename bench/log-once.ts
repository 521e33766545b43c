// What the call log's second write costs (issue 14), without HTTP or Next in the way: the hot
// path's verification through the app's own code (verifyCall, openPostgres with the named
// statement, the call-log batch of lib/public-api/call-log.ts), at a fixed concurrency over many
// keys, in alternating rounds:
//   - "insert + update": knownStatus null and one completion per call, as every endpoint did
//     before and metered endpoints still do;
//   - "insert only": knownStatus 200 and no completion, as ping does now (logOnce).
// Prints calls/s, the PostgreSQL backends' CPU µs per call (from /proc/<pid>/stat of the
// backends serving the database) and this process's CPU µs per call.
//
//   LOG_ONCE_DB=postgres://postgres@127.0.0.1:5432/<scratch> npx tsx --conditions=react-server bench/log-once.ts
//
// LOG_ONCE_DB must be a database it may migrate and seed. Env: LOG_ONCE_SECONDS (per round,
// default 8), LOG_ONCE_ROUNDS (per variant, default 3), LOG_ONCE_CONCURRENCY (default 10).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { migrate } from "../lib/db/migrate";
import { openPostgres } from "../lib/db/postgres";
import { displayParts, generateApiKey, hashApiKey } from "../lib/keys/format";
import { configureCallLog, flushCallLog, recordCompletion } from "../lib/public-api/call-log";
import { verifyCall } from "../lib/public-api/verify";

const url = process.env.LOG_ONCE_DB;
const SECONDS = Number(process.env.LOG_ONCE_SECONDS ?? 8);
const ROUNDS = Number(process.env.LOG_ONCE_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.LOG_ONCE_CONCURRENCY ?? 10);
const KEYS = 500;

/** CPU ticks (1/100 s) of the PostgreSQL backends whose process title names `db`. */
function backendTicks(db: string): number {
  let sum = 0;
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      if (!fs.readFileSync(`/proc/${e}/cmdline`, "utf8").includes(` ${db} `)) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      sum += Number(f[11]) + Number(f[12]);
    } catch {
      /* exited */
    }
  }
  return sum;
}

async function main() {
  if (!url) throw new Error("set LOG_ONCE_DB to a scratch PostgreSQL database");
  const dbName = new URL(url).pathname.slice(1);
  const db = openPostgres(url, 10);
  await migrate(db, { installAuthStandIn: true });
  const keys = Array.from({ length: KEYS }, () => generateApiKey());
  await db.transaction(async (tx) => {
    const user = (await tx.query<{ id: string }>("insert into auth.users (email) values ($1) returning id", [`log-once-${randomUUID()}@example.com`])).rows[0]!;
    const team = (await tx.query<{ id: string }>("insert into public.teams (name, owner_id, plan) values ('Log once', $1, 'business') returning id", [user.id])).rows[0]!;
    for (const k of keys) {
      const { prefix, last4 } = displayParts(k);
      const row = await tx.query<{ id: string }>(
        `insert into public.api_keys (team_id, created_by, name, prefix, last4, scopes, rate_limit_per_minute)
         values ($1, $2, 'log-once key', $3, $4, array['ping'], 300) returning id`,
        [team.id, user.id, prefix, last4],
      );
      await tx.query("insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hashApiKey(k), row.rows[0]!.id]);
    }
  });
  const hashes = keys.map(hashApiKey);
  configureCallLog(() => Promise.resolve(db));

  async function round(once: boolean) {
    let n = 0;
    let i = 0;
    const end = Date.now() + SECONDS * 1000;
    const ticks0 = backendTicks(dbName);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < end) {
          const started = performance.now();
          const call = await verifyCall(db, {
            keyHash: hashes[i++ % hashes.length]!,
            endpoint: "/api/public/ping",
            method: "GET",
            scope: "ping",
            ip: "127.0.0.1",
            userAgent: "log-once",
            metered: false,
            requestId: randomUUID(),
            knownStatus: once ? 200 : null,
          });
          if (call.outcome !== "ok") throw new Error(`refused: ${call.outcome}`);
          if (!once) recordCompletion({ callId: call.call_id, at: Date.now(), status: 200, latencyMs: performance.now() - started, summary: null, errorCode: null });
          n++;
        }
      }),
    );
    await flushCallLog();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { name: once ? "insert only" : "insert + update", rate: n / seconds, backendUs: ((backendTicks(dbName) - ticks0) * 10_000) / n, clientUs: (cpu.user + cpu.system) / n };
  }

  await round(false);
  await round(true);
  const results = [];
  for (let r = 0; r < ROUNDS; r++) {
    results.push(await round(false));
    results.push(await round(true));
  }
  for (const x of results) {
    console.log(`${x.name.padEnd(16)} ${x.rate.toFixed(0).padStart(6)} calls/s  backend ${x.backendUs.toFixed(0).padStart(5)} µs/call  client ${x.clientUs.toFixed(0).padStart(4)} µs/call`);
  }
  for (const name of ["insert + update", "insert only"]) {
    const mine = results.filter((x) => x.name === name);
    const med = (f: (x: (typeof mine)[number]) => number) => mine.map(f).sort((a, b) => a - b)[Math.floor(mine.length / 2)]!;
    console.log(`median ${name}: ${med((x) => x.rate).toFixed(0)} calls/s, backend ${med((x) => x.backendUs).toFixed(0)} µs/call, client ${med((x) => x.clientUs).toFixed(0)} µs/call`);
  }
  await db.close();
}

main().catch((err: Error) => {
  console.error(`log-once: ${err.message}`);
  process.exit(1);
});
