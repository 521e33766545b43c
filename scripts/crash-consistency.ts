// Crash consistency (issue 9): the production server (server.mjs on the built app, with its
// in-process job worker) on a fresh PostgreSQL database, under load, killed with SIGKILL at a random
// moment, then started again. Afterwards: every call the clients saw admitted (2xx, with its request
// id) is in the call log, every key's uses_total and the team's usage equal the log, and every audit
// the clients saw queued (202) completes. Run by scripts/test.sh after the build; needs
// TEST_DATABASE_URL (PostgreSQL), else it says so and exits 0.
//
// Several processes (issue 14): it first checks that limits stay exact with two app processes
// (WEB_CONCURRENCY=2, node:cluster) on one database: concurrent bursts against a team quota, a
// key's use cap and a rate window admit exactly the allowance, and the counters equal the log.
// The crash runs then rotate through what can die: the single process (WEB_CONCURRENCY=1), one
// worker of two (SIGKILL; the primary starts a replacement while the other worker keeps serving),
// and the cluster's primary (its workers exit with it; the server is started again).
//
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/crash-consistency.ts
//   CRASH_RUNS=3 CRASH_PORT=<free port, default E2E_PORT>
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { generateApiKey, hashApiKey } from "@/lib/keys/format";
import { migrate } from "@/lib/db/migrate";
import { openPostgres } from "@/lib/db/postgres";
import { runAsUser } from "@/lib/db/run-as-user";
import { AUDIT_INPUT_EXAMPLE } from "@/lib/public-api/examples";

const ADMIN_URL = process.env.TEST_DATABASE_URL;
// Production on PostgreSQL needs the at-rest key (lib/crypto/at-rest-key.ts); one per run, shared by every process started.
const ENCRYPTION_KEY = process.env.LLAVERO_ENCRYPTION_KEY || randomBytes(32).toString("base64");

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

/** A team on `plan` owned by `userId`, with one key with both scopes; returns its secret and ids. */
async function teamWithKey(db: ReturnType<typeof openPostgres>, userId: string, plan: string, key: { rate?: number; cap?: number | null }) {
  const teamId = await runAsUser(db, userId, async (tx) => (await tx.query<{ id: string }>("select public.create_team($1) as id", [`Limits ${plan}`])).rows[0]!.id);
  await db.query("update public.teams set plan = $2, overage_hard_cap = 0 where id = $1", [teamId, plan]);
  const secret = generateApiKey();
  const keyId = await runAsUser(db, userId, async (tx) => {
    const k = await tx.query<{ id: string }>(
      `insert into public.api_keys (team_id, created_by, name, prefix, last4, scopes, rate_limit_per_minute, use_cap)
       values ($1, auth.uid(), 'limits', $2, $3, $4, $5, $6) returning id`,
      [teamId, secret.slice(0, 12), secret.slice(-4), ["ping", "validate"], key.rate ?? 300, key.cap ?? null],
    );
    await tx.query("insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hashApiKey(secret), k.rows[0]!.id]);
    return k.rows[0]!.id;
  });
  return { teamId, keyId, secret };
}

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]);
}

/**
 * The concurrency checks of test/integration/concurrency.test.ts, over HTTP against two app
 * processes (node:cluster) sharing one PostgreSQL: N concurrent calls on N connections (spread
 * over both workers by the primary) admit exactly the allowance, and the counters equal the log.
 */
async function limitsAcrossProcesses(): Promise<string> {
  const N = 240;
  const { url, drop } = await freshDatabase();
  const logFile = ".data/crash-consistency-limits.log";
  fs.mkdirSync(".data", { recursive: true });
  fs.rmSync(logFile, { force: true });
  let server: ChildProcess | null = null;
  const db = openPostgres(url, 4);
  try {
    await migrate(db, { installAuthStandIn: true });
    const { rows } = await db.query<{ id: string }>("insert into auth.users (email) values ('limits@example.com') returning id");
    const userId = rows[0]!.id;
    await db.query("insert into public.profiles (id, email) values ($1, 'limits@example.com')", [userId]);
    const quota = await teamWithKey(db, userId, "business", {});
    // 37 calls left of Business's 10,000, and no overage allowed (hard cap 0).
    await db.query("insert into public.team_usage (team_id, month, calls) values ($1, date_trunc('month', now() at time zone 'utc')::date, 9963)", [quota.teamId]);
    const cap = await teamWithKey(db, userId, "business", { cap: 53 });
    const rate = await teamWithKey(db, userId, "pro", { rate: 29 });

    server = await startServer(url, logFile, 2);
    const workers = childrenOf(server.pid!);
    if (workers.length !== 2) throw new Error(`expected 2 workers, found ${workers.length}`);
    const ticksBefore = workers.map(cpuTicks);

    const burst = async (path: string, secret: string, body?: unknown) => {
      const statuses = await Promise.all(
        Array.from({ length: N }, () =>
          fetch(`${BASE}${path}`, {
            method: body ? "POST" : "GET",
            headers: { "x-api-key": secret, ...(body ? { "content-type": "application/json" } : {}) },
            body: body ? JSON.stringify(body) : undefined,
          }).then(async (r) => (await r.arrayBuffer(), r.status)),
        ),
      );
      const counts = new Map<number, number>();
      for (const st of statuses) counts.set(st, (counts.get(st) ?? 0) + 1);
      return counts;
    };
    const expectExactly = (what: string, counts: Map<number, number>, ok: number, refusal: number) => {
      if (counts.get(200) !== ok || counts.get(refusal) !== N - ok) throw new Error(`${what}: expected ${ok} × 200 and ${N - ok} × ${refusal}, got ${JSON.stringify([...counts])}`);
    };
    const countersMatchLog = async (what: string, k: { keyId: string; teamId: string }, seeded = 0) => {
      const r = await db.query<{ admitted: number; uses: number; metered: number; team_calls: number }>(
        `select (select count(*) from public.api_calls where key_id = $1 and admitted)::int as admitted,
                (select uses_total from public.api_keys where id = $1)::int as uses,
                (select count(*) from public.api_calls where team_id = $2 and metered)::int as metered,
                (select coalesce(sum(calls), 0) from public.team_usage where team_id = $2)::int as team_calls`,
        [k.keyId, k.teamId],
      );
      const c = r.rows[0]!;
      if (c.admitted !== c.uses || c.metered + seeded !== c.team_calls) throw new Error(`${what}: counters differ from the log: ${JSON.stringify(c)}`);
    };

    expectExactly("team quota (37 left)", await burst("/api/public/validate", quota.secret, { rfc: "GODE561231GR8" }), 37, 429);
    await countersMatchLog("team quota", quota, 9963);
    expectExactly("use cap (53)", await burst("/api/public/ping", cap.secret), 53, 403);
    await countersMatchLog("use cap", cap);
    // The rate window is per minute: start the burst well clear of a minute boundary.
    const toBoundary = 60_000 - (Date.now() % 60_000);
    if (toBoundary < 10_000) await new Promise((r) => setTimeout(r, toBoundary + 200));
    expectExactly("rate window (29/min)", await burst("/api/public/validate", rate.secret, { rfc: "MAB9307148T4" }), 29, 429);
    await countersMatchLog("rate window", rate);

    // Both workers served: each spent CPU on the bursts (an idle worker spends ~0 ticks).
    const spent = workers.map((p, i) => cpuTicks(p) - ticksBefore[i]!);
    if (spent.some((t) => t < 3)) throw new Error(`a worker served none of the bursts (CPU ticks per worker: ${spent.join(", ")})`);
    return `limits with 2 processes: ${N} concurrent calls each admitted exactly 37 (team quota), 53 (use cap) and 29 (rate window); counters equal the log (worker CPU ticks ${spent.join(" / ")})`;
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await db.close();
    await drop();
  }
}

/** Something else answering on the port would make every check below vacuous. */
async function assertPortFree(): Promise<void> {
  const answered = await fetch(`${BASE}/`, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
  if (answered) throw new Error(`port ${PORT} is already in use: set CRASH_PORT to a free port`);
}

/** Lines "Llavero worker <pid> listening" that server.mjs's cluster workers have logged so far. */
function listeningWorkers(logFile: string): number {
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
  return text.match(/Llavero worker \d+ listening/g)?.length ?? 0;
}

async function until(what: string, logFile: string, done: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !(await done()); await new Promise((r) => setTimeout(r, 200))) {
    if (Date.now() > end) throw new Error(`${what}; see ${logFile}`);
  }
}

/** The running children of a process (a cluster primary's workers), from /proc. */
function childrenOf(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `workers`: WEB_CONCURRENCY; with more than one, resolves once every worker listens. */
async function startServer(url: string, logFile: string, workers = 1): Promise<ChildProcess> {
  await assertPortFree();
  const listenedBefore = listeningWorkers(logFile);
  const out = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, ["server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), DATABASE_URL: url, LLAVERO_ENCRYPTION_KEY: ENCRYPTION_KEY, JOB_VISIBILITY_TIMEOUT_MS: "4000", NEXT_PUBLIC_SUPABASE_URL: "", HOSTNAME_BIND: "127.0.0.1", WEB_CONCURRENCY: String(workers) },
    stdio: ["ignore", out, out],
  });
  await until("server did not start", logFile, async () => {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}; see ${logFile}`);
    if (workers > 1 && listeningWorkers(logFile) < listenedBefore + workers) return false;
    try {
      const r = await fetch(`${BASE}/api/public/openapi.json`, { method: "HEAD" });
      return r.status === 200;
    } catch {
      return false; // not listening yet
    }
  });
  return child;
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

/** What a run kills: the only process, one worker of two, or the primary of two workers. */
type KillMode = "single" | "worker" | "primary";
const KILL_MODES: KillMode[] = ["single", "worker", "primary"];

async function oneRun(run: number): Promise<string> {
  const mode = KILL_MODES[(run - 1) % KILL_MODES.length]!;
  const workers = mode === "single" ? 1 : 2;
  const { url, drop } = await freshDatabase();
  const logFile = `.data/crash-consistency-${run}.log`;
  fs.mkdirSync(".data", { recursive: true });
  fs.rmSync(logFile, { force: true });
  let server: ChildProcess | null = null;
  try {
    const { keys, teamId } = await seed(url);
    server = await startServer(url, logFile, workers);
    const ledger: Ledger = { admitted: new Map(), audits: new Set(), sent: 0, failed: 0, statuses: new Map() };
    const stop = { now: false };
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(keys[n % keys.length]!, n, ledger, stop));
    const killAfter = 1_000 + randomInt(3_000);
    await new Promise((r) => setTimeout(r, killAfter));
    let atKill: number;
    if (mode === "worker") {
      const [victim, ...others] = childrenOf(server.pid!);
      if (victim === undefined || others.length !== 1) throw new Error(`expected 2 workers under the primary, found ${others.length + (victim === undefined ? 0 : 1)}`);
      const listened = listeningWorkers(logFile);
      process.kill(victim, "SIGKILL");
      await until(`worker ${victim} did not die`, logFile, () => !alive(victim), 10_000);
      atKill = ledger.admitted.size;
      // The primary replaces it; the other worker serves meanwhile.
      await until("the primary did not replace the killed worker", logFile, () => listeningWorkers(logFile) > listened);
      if (server.exitCode !== null || !alive(others[0]!)) throw new Error(`killing one worker took down ${server.exitCode !== null ? "the primary" : "the other worker"}`);
    } else {
      const workerPids = mode === "primary" ? childrenOf(server.pid!) : [];
      server.kill("SIGKILL");
      await new Promise((r) => server!.once("exit", r));
      // node:cluster workers exit when their primary's channel closes.
      await until("workers outlived their primary", logFile, () => workerPids.every((p) => !alive(p)), 10_000);
      atKill = ledger.admitted.size;
    }
    // A run in which nothing was admitted before the kill proves nothing.
    if (atKill === 0) throw new Error(`no call was admitted before the kill (answers: ${JSON.stringify([...ledger.statuses])}); see ${logFile}`);
    // Clients keep trying while it is down, then against the new process.
    if (mode !== "worker") server = await startServer(url, logFile, workers);
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
      const what = mode === "single" ? "the only process" : mode === "worker" ? "one worker of 2" : "the primary of 2 workers";
      return `run ${run}: ${what} killed after ${killAfter} ms with ${atKill} admitted; ${ledger.admitted.size} admitted calls seen by clients (${logged.size} in the log), ${ledger.failed} cut off, ${ledger.audits.size} audits all completed, counters equal the log`;
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
  log(await limitsAcrossProcesses());
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
