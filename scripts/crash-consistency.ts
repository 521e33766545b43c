// Crash consistency (issue 9): the production server (server.mjs on the built app, with its
// in-process job worker) on a fresh PostgreSQL database, under load, killed with SIGKILL at a random
// moment, then started again. Afterwards: every call the clients saw admitted (2xx, with its request
// id) is in the call log, every key's uses_total and the team's usage equal the log, and every audit
// the clients saw queued (202) completes. Run by scripts/test.sh after the build; needs
// TEST_DATABASE_URL (PostgreSQL), else it says so and exits 0.
//
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/crash-consistency.ts
//   CRASH_RUNS=3 CRASH_PORT=<free port, default E2E_PORT>
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { generateApiKey, hashApiKey } from "@/lib/keys/format";
import { migrate } from "@/lib/db/migrate";
import { openPostgres } from "@/lib/db/postgres";
import { runAsUser } from "@/lib/db/run-as-user";
import { AUDIT_INPUT_EXAMPLE } from "@/lib/public-api/examples";

const ADMIN_URL = process.env.TEST_DATABASE_URL;
const RUNS = Number(process.env.CRASH_RUNS ?? 3);
// The e2e suite's port by default: scripts/test.sh runs this before Playwright starts its server.
const PORT = Number(process.env.CRASH_PORT ?? process.env.E2E_PORT ?? 3210);
const BASE = `http://127.0.0.1:${PORT}`;
const CLIENTS = 6;

function log(msg: string) {
  console.log(`crash-consistency: ${msg}`);
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `llavero_crash_${Date.now().toString(36)}_${randomInt(1e6)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** One team on Business with three keys, written as sign-up and key creation write them. */
async function seed(url: string): Promise<{ keys: string[]; teamId: string }> {
  const db = openPostgres(url, 4);
  await migrate(db, { installAuthStandIn: true });
  const { rows } = await db.query<{ id: string }>("insert into auth.users (email) values ('crash@example.com') returning id");
  const userId = rows[0]!.id;
  await db.query("insert into public.profiles (id, email) values ($1, 'crash@example.com')", [userId]);
  const teamId = await runAsUser(db, userId, async (tx) => (await tx.query<{ id: string }>("select public.create_team('Crash team') as id")).rows[0]!.id);
  await db.query("update public.teams set plan = 'business' where id = $1", [teamId]);
  const keys: string[] = [];
  for (let i = 0; i < 3; i++) {
    const secret = generateApiKey();
    await runAsUser(db, userId, async (tx) => {
      const k = await tx.query<{ id: string }>(
        `insert into public.api_keys (team_id, created_by, name, prefix, last4, scopes, rate_limit_per_minute)
         values ($1, auth.uid(), $2, $3, $4, $5, 300) returning id`,
        [teamId, `crash ${i}`, secret.slice(0, 12), secret.slice(-4), ["ping", "validate", "audit:read", "audit:write"]],
      );
      await tx.query("insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hashApiKey(secret), k.rows[0]!.id]);
    });
    keys.push(secret);
  }
  await db.close();
  return { keys, teamId };
}

/** Something else answering on the port would make every check below vacuous. */
async function assertPortFree(): Promise<void> {
  const answered = await fetch(`${BASE}/`, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
  if (answered) throw new Error(`port ${PORT} is already in use: set CRASH_PORT to a free port`);
}

async function startServer(url: string, logFile: string): Promise<ChildProcess> {
  await assertPortFree();
  const out = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, ["server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), DATABASE_URL: url, JOB_VISIBILITY_TIMEOUT_MS: "4000", NEXT_PUBLIC_SUPABASE_URL: "", HOSTNAME_BIND: "127.0.0.1" },
    stdio: ["ignore", out, out],
  });
  return new Promise<ChildProcess>((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`server exited with ${child.exitCode}; see ${logFile}`));
      try {
        const r = await fetch(`${BASE}/api/public/openapi.json`, { method: "HEAD" });
        if (r.status === 200) return resolve(child);
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) return reject(new Error(`server did not start; see ${logFile}`));
      setTimeout(poll, 200);
    };
    void poll();
  });
}

interface Ledger {
  admitted: Map<string, { metered: boolean }>;
  audits: Set<string>;
  sent: number;
  failed: number;
  statuses: Map<number, number>;
}

/** One client: validate (metered), ping (not metered) and audits (metered, queue a job) in a loop. */
async function client(key: string, n: number, ledger: Ledger, stop: { now: boolean }) {
  let i = 0;
  while (!stop.now) {
    i++;
    const kind = (i + n) % 5;
    try {
      ledger.sent++;
      let res: Response;
      if (kind === 0) {
        const body = { ...AUDIT_INPUT_EXAMPLE, business: { ...AUDIT_INPUT_EXAMPLE.business, id: `biz-${n}-${i}` } };
        res = await fetch(`${BASE}/api/public/audit`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: JSON.stringify(body) });
      } else if (kind === 1) {
        res = await fetch(`${BASE}/api/public/ping`, { headers: { "x-api-key": key } });
      } else {
        res = await fetch(`${BASE}/api/public/validate`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: JSON.stringify({ rfc: "GODE561231GR8" }) });
      }
      const text = await res.text();
      ledger.statuses.set(res.status, (ledger.statuses.get(res.status) ?? 0) + 1);
      const id = res.headers.get("x-request-id");
      if (res.status < 300 && id) {
        ledger.admitted.set(id, { metered: kind !== 1 });
        if (kind === 0) ledger.audits.add((JSON.parse(text) as { audit_id: string }).audit_id);
      }
    } catch {
      // The server died under this request: the client never learnt the outcome.
      ledger.failed++;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function oneRun(run: number): Promise<string> {
  const { url, drop } = await freshDatabase();
  const logFile = `.data/crash-consistency-${run}.log`;
  fs.mkdirSync(".data", { recursive: true });
  fs.rmSync(logFile, { force: true });
  let server: ChildProcess | null = null;
  try {
    const { keys, teamId } = await seed(url);
    server = await startServer(url, logFile);
    const ledger: Ledger = { admitted: new Map(), audits: new Set(), sent: 0, failed: 0, statuses: new Map() };
    const stop = { now: false };
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(keys[n % keys.length]!, n, ledger, stop));
    const killAfter = 1_000 + randomInt(3_000);
    await new Promise((r) => setTimeout(r, killAfter));
    server.kill("SIGKILL");
    await new Promise((r) => server!.once("exit", r));
    const atKill = ledger.admitted.size;
    // A run in which nothing was admitted before the kill proves nothing.
    if (atKill === 0) throw new Error(`no call was admitted before the kill (answers: ${JSON.stringify([...ledger.statuses])}); see ${logFile}`);
    // Clients keep trying while it is down, then against the new process.
    server = await startServer(url, logFile);
    // Load until the new process admits a call: a fixed second could fall in a spent rate window
    // (limits are per minute), so wait up to just past one window before calling it a failure.
    for (const until = Date.now() + 65_000; ledger.admitted.size === atKill && Date.now() < until; ) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 1_000));
    stop.now = true;
    await Promise.all(clients);
    if (ledger.admitted.size === atKill) throw new Error(`no call was admitted after the restart; see ${logFile}`);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      // Jobs: every queued audit reaches a final state (a job the dead worker held is run again
      // after the visibility timeout, 4 s here).
      const deadline = Date.now() + 60_000;
      let pending = -1;
      while (Date.now() < deadline) {
        const r = await db.query<{ n: number }>("select count(*)::int as n from public.jobs where status in ('queued', 'running')");
        pending = r.rows[0]!.n;
        if (pending === 0) break;
        await new Promise((r2) => setTimeout(r2, 500));
      }
      if (pending !== 0) throw new Error(`${pending} jobs still pending a minute after the restart`);
      const audits = await db.query<{ id: string; status: string }>("select id::text, status from public.audits where id = any($1::uuid[])", [[...ledger.audits]]);
      if (audits.rows.length !== ledger.audits.size) throw new Error(`${ledger.audits.size - audits.rows.length} queued audits are missing`);
      // The input is valid, so every audit must complete: a failed one was lost to the crash.
      const unfinished = audits.rows.filter((a) => a.status !== "completed");
      if (unfinished.length) throw new Error(`${unfinished.length} audits did not complete: ${unfinished.slice(0, 3).map((a) => a.status).join(", ")}`);

      // Every admitted call is in the log, as admitted, with its meter flag.
      const logRows = await db.query<{ request_id: string; metered: boolean }>("select request_id, metered from public.api_calls where admitted");
      const logged = new Map(logRows.rows.map((r) => [r.request_id, r.metered]));
      const missing = [...ledger.admitted.keys()].filter((id) => !logged.has(id));
      if (missing.length) throw new Error(`${missing.length} admitted calls are not in the log, e.g. ${missing[0]}`);
      const wrongMeter = [...ledger.admitted].filter(([id, v]) => logged.get(id) !== v.metered);
      if (wrongMeter.length) throw new Error(`${wrongMeter.length} calls logged with the wrong meter flag`);

      // Counters equal the log (calls the server admitted but whose answer the kill swallowed are
      // in both, so the log may hold more than the clients saw, never less).
      const perKey = await db.query<{ key_id: string; uses: number; logged: number }>(
        `select k.id as key_id, k.uses_total::int as uses,
                (select count(*)::int from public.api_calls c where c.key_id = k.id and c.admitted) as logged
           from public.api_keys k where k.team_id = $1`,
        [teamId],
      );
      for (const k of perKey.rows) if (k.uses !== k.logged) throw new Error(`key ${k.key_id}: uses_total ${k.uses} but ${k.logged} admitted calls logged`);
      const usage = await db.query<{ calls: number; logged: number }>(
        `select coalesce((select sum(calls) from public.team_usage where team_id = $1), 0)::int as calls,
                (select count(*)::int from public.api_calls where team_id = $1 and admitted and metered) as logged`,
        [teamId],
      );
      if (usage.rows[0]!.calls !== usage.rows[0]!.logged) throw new Error(`team_usage.calls ${usage.rows[0]!.calls} but ${usage.rows[0]!.logged} metered calls logged`);
      return `run ${run}: killed after ${killAfter} ms with ${atKill} admitted; ${ledger.admitted.size} admitted calls seen by clients (${logged.size} in the log), ${ledger.failed} cut off, ${ledger.audits.size} audits all completed, counters equal the log`;
    } finally {
      await db.end();
    }
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await drop();
  }
}

async function main() {
  if (!ADMIN_URL) {
    log("skipped: set TEST_DATABASE_URL to a PostgreSQL server (the suite kills a server mid-load on PostgreSQL)");
    return;
  }
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("no production build: run `npx next build` first");
  for (let run = 1; run <= RUNS; run++) log(await oneRun(run));
  log(`${RUNS} crash runs passed`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`crash-consistency: FAILED: ${(err as Error).message}`);
    process.exit(1);
  },
);
