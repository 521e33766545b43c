// `npm run bench`: throughput and latency of the public API on the production build and
// PostgreSQL, next to two ceilings measured in the same run:
//   - constant: GET /api/bench/constant, a route handler in the same app that answers constant
//     JSON without the database (what the framework alone allows);
//   - bare: bench/bare-server.ts, node:http + the same key hash and the same verify_api_call
//     round trip through the same pg Pool, no framework (what the database path alone allows).
// Prints figures; asserts nothing about timings. See docs/performance.md.
//
// Each app target is measured against two servers in the same run: one app process
// (WEB_CONCURRENCY=1) and several (BENCH_PROCESSES, default "1,2": node:cluster workers behind
// server.mjs's primary, issue 14), printed side by side.
//
// Flags: --build (run `next build` first; otherwise an existing .next is reused, unless it has
// no build or no /api/bench/constant route), --json (also write bench/results/latest.json).
// Env: BENCH_DURATION (seconds per measurement, default 10), BENCH_WARMUP (seconds per target,
// default 3), BENCH_CONNECTIONS (default "10,50"), BENCH_DATABASE_URL (use this database instead
// of creating llavero_bench_<ts>; the seeded rows are deleted afterwards), BENCH_ADMIN_URL (the
// server to create the throwaway database on, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_PROCESSES (app process counts to measure, default "1,2"), BENCH_PORT (first of the
// consecutive ports the servers listen on; default: free ports the system picks),
// BENCH_APP_NODE_ARGS (extra node flags for the app servers, space-separated).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { openPostgres } from "../lib/db/postgres";
import type { Database } from "../lib/db/types";
import { displayParts, generateApiKey, hashApiKey } from "../lib/keys/format";

const ROOT = path.resolve(import.meta.dirname, "..");
// Production on PostgreSQL needs the at-rest key (lib/crypto/at-rest-key.ts); one per run, shared by every process started.
const ENCRYPTION_KEY = process.env.LLAVERO_ENCRYPTION_KEY || randomBytes(32).toString("base64");
const args = new Set(process.argv.slice(2));
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "10,50").split(",").map((s) => Number(s.trim()));
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PROCESSES = (process.env.BENCH_PROCESSES ?? "1,2").split(",").map((s) => Number(s.trim()));
const BASE_PORT = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : null;
// Extra node flags for the app servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where
// the app's CPU goes under the bench's load (node refuses --cpu-prof in NODE_OPTIONS).
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);
const TARGET_RATIO = 0.75;
const VALIDATE_BODY = JSON.stringify({ rfc: "GODE561231GR8" });
const CLK_TCK = 100; // Linux USER_HZ; `getconf CLK_TCK` is 100 on every mainstream kernel.

if (!(DURATION > 0) || !(WARMUP >= 0) || [...CONNECTIONS, ...PROCESSES].some((c) => !(Number.isInteger(c) && c > 0))) {
  console.error("BENCH_DURATION must be > 0, BENCH_WARMUP >= 0, BENCH_CONNECTIONS and BENCH_PROCESSES lists of positive integers.");
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Cleanup: runs once, in reverse order of registration, on success, error, Ctrl-C or SIGTERM.

const cleanups: Array<{ what: string; fn: () => Promise<void> }> = [];
let cleaning: Promise<void> | null = null;
let currentRun: autocannon.Instance | null = null;

function onCleanup(what: string, fn: () => Promise<void>) {
  cleanups.push({ what, fn });
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    currentRun?.stop();
    for (const { what, fn } of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`cleanup (${what}) failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: stopping servers and dropping the benchmark database…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Server {
  name: string;
  child: ChildProcess;
  base: string;
  log: string[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a command in its own process group (so stopping it stops its children too). */
function startServer(name: string, cmd: string, argv: string[], env: NodeJS.ProcessEnv, port: number): Server {
  const child = spawn(cmd, argv, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log.push(line);
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const server: Server = { name, child, base: `http://127.0.0.1:${port}`, log };
  onCleanup(`stop ${name}`, () => stopGroup(server));
  return server;
}

async function stopGroup(s: Server): Promise<void> {
  const pid = s.child.pid;
  if (pid === undefined || s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => s.child.once("exit", () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  signal("SIGTERM");
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5_000).unref());
  if ((await Promise.race([exited, timeout])) === "timeout") {
    signal("SIGKILL");
    await exited;
  }
  // Anything left in the group (children that ignored SIGTERM).
  signal("SIGKILL");
}

async function waitReady(s: Server, probePath: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) {
      throw new Error(`${s.name} exited (${s.child.exitCode ?? s.child.signalCode}) before it was ready:\n  ${s.log.slice(-30).join("\n  ")}`);
    }
    try {
      const res = await fetch(s.base + probePath, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${s.name} was not ready after ${timeoutMs / 1000} s:\n  ${s.log.slice(-30).join("\n  ")}`);
}

/** Ready, and with n > 1 every cluster worker listening (each logs "Llavero worker <pid> listening"). */
async function waitAllWorkers(s: Server, n: number, timeoutMs = 90_000): Promise<void> {
  await waitReady(s, "/api/bench/constant", timeoutMs);
  const deadline = Date.now() + timeoutMs;
  while (n > 1 && s.log.filter((l) => /Llavero worker \d+ listening/.test(l)).length < n) {
    if (Date.now() > deadline) throw new Error(`${s.name}: not all ${n} workers listened:\n  ${s.log.slice(-30).join("\n  ")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): who used the two cores during each measurement.

/** CPU ticks per process of interest, so processes that start or exit mid-run are handled. */
interface CpuSnapshot {
  /** Per server (its process group): ticks per process. */
  groups: Map<string, Map<number, number>>;
  postgres: Map<number, number>;
  loadgen: number;
  machineBusy: number;
  machineTotal: number;
}

interface ProcStat {
  pid: number;
  comm: string;
  pgrp: number;
  ticks: number;
}

function readProcs(): ProcStat[] {
  const out: ProcStat[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      out.push({ pid: Number(e), comm, pgrp: Number(f[2]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** PostgreSQL backends serving `dbName` (their process title names the database). */
function isBackendOf(p: ProcStat, dbName: string): boolean {
  if (p.comm !== "postgres") return false;
  try {
    return fs.readFileSync(`/proc/${p.pid}/cmdline`, "utf8").includes(` ${dbName} `);
  } catch {
    return false;
  }
}

function machineTicks(): { busy: number; total: number } {
  try {
    const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

function cpuSnapshot(pgids: Map<string, number>, dbName: string): CpuSnapshot {
  const procs = readProcs();
  const pick = (f: (p: ProcStat) => boolean) => new Map(procs.filter(f).map((p) => [p.pid, p.ticks]));
  const u = process.cpuUsage();
  const m = machineTicks();
  return {
    groups: new Map([...pgids].map(([name, pgid]) => [name, pick((p) => p.pgrp === pgid)])),
    postgres: pick((p) => isBackendOf(p, dbName)),
    loadgen: ((u.user + u.system) / 1e6) * CLK_TCK,
    machineBusy: m.busy,
    machineTotal: m.total,
  };
}

/** Ticks used between two snapshots; a process that exited in between is not counted. */
function ticksBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, t] of after) sum += t - (before.get(pid) ?? 0);
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Measurements

type TargetName = "constant" | "bare" | "ping" | "validate";

interface Target {
  name: TargetName;
  label: string;
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** API keys to rotate through, one per request (X-API-Key); none for the constant handler. */
  keys?: string[];
  /** Key of the server in the process-group map: "app1", "app2", …, or "bare". */
  server: string;
  /** App processes behind the URL; null for the bare server. */
  processes: number | null;
  check(status: number, body: unknown): string | null;
}

interface Row {
  target: TargetName;
  label: string;
  processes: number | null;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  total: number;
  /** Percent of one core, averaged over the measurement. */
  serverCpu: number;
  postgresCpu: number;
  loadgenCpu: number;
  /** Percent of the whole machine (all cores). */
  machineBusy: number;
  /** Server CPU time per answered request, in microseconds. */
  serverCpuPerReq: number;
  /** PostgreSQL backends' CPU time per answered request, in microseconds. */
  postgresCpuPerReq: number;
}

/** Each request carries the next key of `keys`: no key's per-minute window fills up. */
function rotateKey(keys: string[]): (req: autocannon.Request) => autocannon.Request {
  let i = 0;
  return (req) => ({ ...req, headers: { ...req.headers, "x-api-key": keys[i++ % keys.length]! } });
}

async function cannon(t: Target, connections: number, duration: number): Promise<autocannon.Result> {
  if (cleaning) throw new Error("interrupted");
  // Without a callback autocannon returns its instance (stoppable) made thenable.
  const instance = autocannon({
    url: t.url,
    method: t.method,
    headers: t.headers,
    body: t.body,
    connections,
    duration,
    pipelining: 1,
    ...(t.keys?.length ? { requests: [{ setupRequest: rotateKey(t.keys) }] } : {}),
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  currentRun = instance;
  try {
    const result = await instance;
    if (cleaning) throw new Error("interrupted");
    return result;
  } finally {
    currentRun = null;
  }
}

async function sanityCheck(t: Target): Promise<void> {
  const res = await fetch(t.url, { method: t.method, headers: t.headers, body: t.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep text */
  }
  const problem = t.check(res.status, body);
  if (problem) throw new Error(`${t.label}: unexpected answer (${res.status}): ${problem}\n  ${text.slice(0, 400)}`);
}

async function measure(t: Target, connections: number, pgids: Map<string, number>, dbName: string): Promise<Row> {
  const before = cpuSnapshot(pgids, dbName);
  const r = await cannon(t, connections, DURATION);
  const after = cpuSnapshot(pgids, dbName);
  const seconds = r.duration;
  const pct = (ticks: number) => (ticks / CLK_TCK / seconds) * 100;
  const serverTicks = ticksBetween(before.groups.get(t.server)!, after.groups.get(t.server)!);
  const postgresTicks = ticksBetween(before.postgres, after.postgres);
  const answered = r.requests.total;
  return {
    target: t.name,
    label: t.label,
    processes: t.processes,
    connections,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    total: answered,
    serverCpu: pct(serverTicks),
    postgresCpu: pct(postgresTicks),
    loadgenCpu: pct(after.loadgen - before.loadgen),
    machineBusy: ((after.machineBusy - before.machineBusy) / (after.machineTotal - before.machineTotal)) * 100,
    serverCpuPerReq: answered > 0 ? ((serverTicks / CLK_TCK) * 1e6) / answered : NaN,
    postgresCpuPerReq: answered > 0 ? ((postgresTicks / CLK_TCK) * 1e6) / answered : NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// Database

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function prepareDatabase(): Promise<string> {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const name = `llavero_bench_${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${process.pid}`;
  await adminQuery(`create database ${name}`);
  onCleanup(`drop database ${name}`, async () => {
    await adminQuery(`drop database if exists ${name} with (force)`);
    console.log(`Dropped database ${name}.`);
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

interface Seed {
  keys: string[];
  teamId: string;
  userId: string;
}

/**
 * Keys the load is spread over. Since issue 13 a key's enforced rate is capped by its plan's
 * ceiling (Business: 300 a minute), so one key cannot carry a benchmark any more: 1,000 keys
 * allow 300,000 calls a minute, above anything this machine serves. Until then the bench put all
 * load on one key, which also serialised every call on that key's row lock.
 */
const KEYS = 1_000;

/** One user with a profile and a business-plan team, and KEYS keys no limit will refuse. */
async function seed(db: Database): Promise<Seed> {
  const email = `bench-${Date.now()}-${process.pid}@example.com`;
  return db.transaction(async (tx) => {
    const user = (await tx.query<{ id: string }>("insert into auth.users (email) values ($1) returning id", [email])).rows[0]!;
    const team = (
      await tx.query<{ id: string }>(
        "insert into public.teams (name, owner_id, plan, overage_hard_cap) values ('Benchmark team', $1, 'business', null) returning id",
        [user.id],
      )
    ).rows[0]!;
    await tx.query("insert into public.profiles (id, email, current_team_id) values ($1, $2, $3)", [user.id, email, team.id]);
    await tx.query("insert into public.team_members (team_id, user_id, role) values ($1, $2, 'owner')", [team.id, user.id]);
    const keys = Array.from({ length: KEYS }, () => generateApiKey());
    const parts = keys.map((k) => displayParts(k));
    // Their own limit is the plan's ceiling (300 a minute); the rotation keeps each far below it.
    const rows = (
      await tx.query<{ id: string; name: string }>(
        `insert into public.api_keys (team_id, created_by, name, prefix, last4, scopes, rate_limit_per_minute)
         select $1, $2, 'Benchmark key ' || n, p, l, array['ping', 'validate'], 300
           from unnest($3::text[], $4::text[]) with ordinality as v(p, l, n)
         returning id, name`,
        [team.id, user.id, parts.map((p) => p.prefix), parts.map((p) => p.last4)],
      )
    ).rows;
    // RETURNING's order is not promised: match each key to its row by its numbered name.
    const idOf = new Map(rows.map((r) => [r.name, r.id]));
    const ids = parts.map((_, i) => idOf.get(`Benchmark key ${i + 1}`)!);
    await tx.query("insert into public.api_key_hashes (key_hash, key_id) select * from unnest($1::text[], $2::uuid[])", [keys.map(hashApiKey), ids]);
    return { keys, teamId: team.id, userId: user.id };
  });
}

// ---------------------------------------------------------------------------------------------
// Build

function buildHasConstantRoute(): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next/server/app-paths-manifest.json"), "utf8")) as Record<string, string>;
    return "/api/bench/constant/route" in manifest;
  } catch {
    return false;
  }
}

/** Whether the build's proxy (middleware) runs for `pathname`, from the build manifests. */
function proxyRunsFor(pathname: string): boolean | null {
  const matchers: string[] = [];
  try {
    const f = JSON.parse(fs.readFileSync(path.join(ROOT, ".next/server/functions-config-manifest.json"), "utf8")) as {
      functions?: Record<string, { matchers?: Array<{ regexp: string }> }>;
    };
    for (const m of f.functions?.["/_middleware"]?.matchers ?? []) matchers.push(m.regexp);
    const mw = JSON.parse(fs.readFileSync(path.join(ROOT, ".next/server/middleware-manifest.json"), "utf8")) as {
      middleware?: Record<string, { matchers?: Array<{ regexp: string }> }>;
    };
    for (const entry of Object.values(mw.middleware ?? {})) for (const m of entry.matchers ?? []) matchers.push(m.regexp);
  } catch {
    return null;
  }
  return matchers.some((re) => new RegExp(re).test(pathname));
}

function ensureBuild(): string {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  let reason: string | null = null;
  if (args.has("--build")) reason = "--build was passed";
  else if (!fs.existsSync(buildId)) reason = "there is no production build (.next/BUILD_ID)";
  else if (!buildHasConstantRoute()) reason = "the existing build has no /api/bench/constant route";
  if (reason) {
    console.log(`Building (${reason}): npx next build`);
    const r = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})`);
    return "built now";
  }
  const at = fs.statSync(buildId).mtime;
  return `reused, built ${at.toISOString().replace("T", " ").slice(0, 19)} UTC (pass --build to rebuild)`;
}

// ---------------------------------------------------------------------------------------------
// Output

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "–";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(headers: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    "| " + cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ") + " |";
  const sep = "|" + widths.map((w, i) => (rightAlign[i] ? "-".repeat(w + 1) + ":" : ":" + "-".repeat(w + 1))).join("|") + "|";
  return [line(headers), sep, ...rows.map(line)].join("\n");
}

function gitDescribe(): string {
  const rev = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  return rev ? `${rev}${dirty ? " (with uncommitted changes)" : ""}` : "unknown";
}

function version(pkg: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const build = ensureBuild();

  const dbUrl = await prepareDatabase();
  const db = openPostgres(dbUrl, 2);
  onCleanup("close the seeding pool", () => db.close());
  await migrate(db, { installAuthStandIn: true, dir: path.join(ROOT, "supabase/migrations") });
  const s = await seed(db);
  if (process.env.BENCH_DATABASE_URL) {
    onCleanup("delete the seeded rows", async () => {
      await db.query("delete from public.teams where id = $1", [s.teamId]);
      await db.query("delete from auth.users where id = $1", [s.userId]);
    });
  }
  const pgVersion = (await db.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  const dbName = (await db.query<{ d: string }>("select current_database() as d")).rows[0]!.d;

  const ports: number[] = [];
  for (let i = 0; i <= PROCESSES.length; i++) ports.push(BASE_PORT !== null ? BASE_PORT + i : await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATABASE_URL: dbUrl, LLAVERO_ENCRYPTION_KEY: ENCRYPTION_KEY, NEXT_TELEMETRY_DISABLED: "1", LLAVERO_BENCH_ROUTES: "true" };
  delete env.TRUST_PROXY;
  // One app server per process count, all started now and idle while another is measured.
  const apps = PROCESSES.map((n, i) => ({
    n,
    key: `app${n}`,
    server: startServer(
      `app (node server.mjs, WEB_CONCURRENCY=${n})`,
      process.execPath,
      [...APP_NODE_ARGS, "server.mjs"],
      { ...env, PORT: String(ports[i]), HOSTNAME_BIND: "127.0.0.1", WEB_CONCURRENCY: String(n) },
      ports[i]!,
    ),
  }));
  const barePort = ports[PROCESSES.length]!;
  const bare = startServer(
    "bare server",
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "bench/bare-server.ts"],
    { ...env, PORT: String(barePort) },
    barePort,
  );
  await Promise.all([...apps.map((a) => waitAllWorkers(a.server, a.n)), waitReady(bare, "/")]);
  const pgids = new Map<string, number>([...apps.map((a) => [a.key, a.server.child.pid!] as [string, number]), ["bare", bare.child.pid!]]);

  // The sanity check sends the first key; a measurement rotates through all of them.
  const keyHeaders = { "x-api-key": s.keys[0]!, "user-agent": "llavero-bench" };
  const okPing = (status: number, body: unknown) =>
    status === 200 && (body as { ok?: unknown }).ok === true && (body as { key?: { id?: unknown } }).key?.id ? null : "expected 200 and the ping body";
  const appTargets = (a: (typeof apps)[number]): Target[] => [
    {
      name: "constant",
      label: "constant handler (framework ceiling)",
      url: `${a.server.base}/api/bench/constant`,
      method: "GET",
      headers: { "user-agent": "llavero-bench" },
      server: a.key,
      processes: a.n,
      check: (status, body) => (status === 200 && (body as { ok?: unknown }).ok === true ? null : 'expected 200 {"ok":true}'),
    },
    { name: "ping", label: "GET /api/public/ping", url: `${a.server.base}/api/public/ping`, method: "GET", headers: keyHeaders, keys: s.keys, server: a.key, processes: a.n, check: okPing },
    {
      name: "validate",
      label: "POST /api/public/validate",
      url: `${a.server.base}/api/public/validate`,
      method: "POST",
      headers: { ...keyHeaders, "content-type": "application/json" },
      body: VALIDATE_BODY,
      keys: s.keys,
      server: a.key,
      processes: a.n,
      check: (status, body) => (status === 200 && (body as { valid?: unknown }).valid === true ? null : "expected 200 with valid: true"),
    },
  ];
  const bareTarget: Target = {
    name: "bare",
    label: "bare node:http + verify (DB ceiling)",
    url: `${bare.base}/api/public/ping`,
    method: "GET",
    headers: keyHeaders,
    keys: s.keys,
    server: "bare",
    processes: null,
    check: okPing,
  };
  // Per process count: the constant handler, the bare ceiling (with the first count only), ping, validate.
  const targets: Target[] = apps.flatMap((a, i) => {
    const [constant, ...rest] = appTargets(a);
    return i === 0 ? [constant!, bareTarget, ...rest] : [constant!, ...rest];
  });

  const proxyConstant = proxyRunsFor("/api/bench/constant");
  const proxyPublic = proxyRunsFor("/api/public/ping");
  const yesNo = (b: boolean | null) => (b === null ? "unknown" : b ? "yes" : "no");
  const cpus = os.cpus();
  const loadBefore = os.loadavg();
  const header = [
    `Llavero public API benchmark — ${new Date().toISOString().slice(0, 19).replace("T", " ")} UTC`,
    `machine: ${cpus.length} × ${cpus[0]?.model ?? "?"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB; ${os.type()} ${os.release()}; load average before: ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`,
    `software: Node ${process.version}, Next ${version("next")}, pg ${version("pg")}, PostgreSQL ${pgVersion}, autocannon ${version("autocannon")}; commit ${gitDescribe()}`,
    `build: ${build}`,
    `proxy.ts runs for: /api/bench/constant ${yesNo(proxyConstant)}, /api/public/* ${yesNo(proxyPublic)}`,
    `method: ${DURATION} s per measurement after a ${WARMUP} s warm-up per target; pipelining 1; app with ${PROCESSES.join(" and ")} process(es) (WEB_CONCURRENCY); load generator in this process, on the same ${cpus.length} cores as the servers`,
  ];
  console.log("\n" + header.join("\n") + "\n");

  for (const t of targets) {
    await sanityCheck(t);
    if (WARMUP > 0) {
      process.stdout.write(`warming up ${t.name}${t.processes ? ` (${t.processes} proc)` : ""}… `);
      const w = await cannon(t, Math.min(...CONNECTIONS), WARMUP);
      console.log(`${fmt(w.requests.average)} req/s`);
    }
  }

  const rows: Row[] = [];
  for (const c of CONNECTIONS) {
    for (const t of targets) {
      process.stdout.write(`measuring ${t.name}${t.processes ? ` (${t.processes} proc)` : ""} @ ${c} connections… `);
      const row = await measure(t, c, pgids, dbName);
      rows.push(row);
      console.log(`${fmt(row.rps)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
    }
  }

  // A row is compared with the constant handler of the same server at the same connections (the
  // bare server with the one-process app's).
  const constantAt = (c: number, processes: number | null) =>
    rows.find((r) => r.target === "constant" && r.connections === c && r.processes === (processes ?? PROCESSES[0]))?.rps ?? NaN;
  const procs = (r: Row) => (r.processes === null ? "–" : String(r.processes));
  const mainTable = table(
    ["target", "app processes", "connections", "req/s", "p50 ms", "p99 ms", "non-2xx", "% of constant handler"],
    rows.map((r) => [
      r.label,
      procs(r),
      String(r.connections),
      fmt(r.rps),
      fmt(r.p50, r.p50 < 10 ? 1 : 0),
      fmt(r.p99, r.p99 < 10 ? 1 : 0),
      String(r.non2xx + r.errors),
      `${fmt((r.rps / constantAt(r.connections, r.processes)) * 100)} %`,
    ]),
    [false, true, true, true, true, true, true, true],
  );
  const cpuTable = table(
    ["target", "app processes", "connections", "server CPU", "server CPU µs/req", "postgres backends CPU", "postgres CPU µs/req", "load generator CPU", "machine busy"],
    rows.map((r) => [
      r.label,
      procs(r),
      String(r.connections),
      `${fmt(r.serverCpu)} %`,
      fmt(r.serverCpuPerReq),
      `${fmt(r.postgresCpu)} %`,
      fmt(r.postgresCpuPerReq),
      `${fmt(r.loadgenCpu)} %`,
      `${fmt(r.machineBusy)} %`,
    ]),
    [false, true, true, true, true, true, true, true, true],
  );

  const one = PROCESSES[0]!;
  const ping10 = rows.find((r) => r.target === "ping" && r.connections === 10 && r.processes === one);
  const ratio = ping10 ? ping10.rps / constantAt(10, one) : NaN;
  const verdicts = [
    Number.isFinite(ratio)
      ? `ping @ 10 connections, ${one} process(es) = ${fmt(ratio * 100, 1)} % of the constant handler @ 10 (${fmt(ping10!.rps)} / ${fmt(constantAt(10, one))} req/s); target ≥ ${TARGET_RATIO * 100} %: ${ratio >= TARGET_RATIO ? "PASS" : "MISS"}`
      : "ping @ 10 connections was not measured (BENCH_CONNECTIONS has no 10): no ratio",
  ];
  // Several processes against the first count: absolute throughput, per target and connections.
  for (const n of PROCESSES.slice(1)) {
    for (const r of rows.filter((x) => x.processes === n && x.target !== "constant")) {
      const base = rows.find((x) => x.processes === one && x.target === r.target && x.connections === r.connections);
      if (!base) continue;
      const gain = r.rps / base.rps;
      verdicts.push(
        `${r.target} @ ${r.connections} connections: ${n} processes ${fmt(r.rps)} req/s vs ${one}: ${fmt(base.rps)} req/s (×${fmt(gain, 2)}); target higher: ${gain > 1 ? "PASS" : "MISS"}`,
      );
    }
  }
  const verdict = verdicts.join("\n");

  console.log(`\n${mainTable}\n\n${verdict}\n\nWhere the CPU went (percent of one core; the machine has ${cpus.length}):\n\n${cpuTable}\n`);
  const bad = rows.filter((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0);
  for (const r of bad) {
    console.warn(`WARNING: ${r.label} @ ${r.connections}: ${r.non2xx} non-2xx answers, ${r.errors} errors, ${r.timeouts} timeouts. Its figures do not measure the happy path.`);
  }
  if (proxyConstant !== null && proxyConstant !== proxyPublic) {
    console.warn(
      `WARNING: proxy.ts runs for ${proxyConstant ? "/api/bench/constant but not for /api/public/*" : "/api/public/* but not for /api/bench/constant"}, ` +
        `so the constant handler is not a like-for-like ceiling and the ratio is ${proxyConstant ? "overstated" : "understated"}. ` +
        `Give both the same treatment in proxy.ts's matcher (see docs/performance.md).`,
    );
  }
  const loadAfter = os.loadavg();
  if (loadBefore[0]! > 0.5) {
    console.warn(
      `NOTE: the 1-minute load average was ${loadBefore[0]!.toFixed(2)} before the run (other processes, or a run just before this one): ` +
        `with 2 cores shared, figures may be low and noisy; compare runs made on a quiet machine.`,
    );
  }
  console.log(`Total time ${fmt((Date.now() - started) / 1000)} s.`);

  if (args.has("--json")) {
    const out = path.join(ROOT, "bench/results/latest.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          header,
          proxy: { constant: proxyConstant, public: proxyPublic },
          durationSeconds: DURATION,
          warmupSeconds: WARMUP,
          loadAverageBefore: loadBefore,
          loadAverageAfter: loadAfter,
          ratio: { pingAt10OverConstantAt10: ratio, target: TARGET_RATIO, pass: ratio >= TARGET_RATIO },
          verdicts,
          rows,
        },
        null,
        2,
      ) + "\n",
    );
    console.log(`Wrote ${path.relative(ROOT, out)}.`);
  }
}

main()
  .catch((err: Error) => {
    console.error(`\nBenchmark failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
