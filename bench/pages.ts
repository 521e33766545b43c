// `npm run bench` (third part): the dashboard pages' budgets (issue 13 item 11). For each
// dashboard page, the server time of its HTML and of each data request the page's client code
// makes, p50 and p95, on the production build (`next build`, then `NODE_ENV=production node
// server.mjs`) and PostgreSQL, with two data sets side by side:
//   demo  — `npm run seed:demo` (5 keys, 60,000 calls over 90 days);
//   scale — `npm run seed:scale` (20 keys, 1,000,000 calls over 90 days).
// Budgets: a page's data ≤ 150 ms p95 on demo, ≤ 300 ms p95 at scale; /api-docs ≤ 60 KB of HTML.
// Signed in through the real sign-in form (its server action, posted as the browser does without
// JavaScript), so every request carries a real session cookie.
//
// "Server time" is the time to the last byte of the answer, measured by this process on the same
// machine (loopback: no network), requests one at a time. Prints figures; asserts nothing. The
// machine is shared: compare runs made on the same machine, and read the load average printed.
//
//   npx tsx bench/pages.ts [--build]
// Env: BENCH_PAGES_REPEAT (30 timed requests per row, after 3 untimed), BENCH_ADMIN_URL,
// BENCH_PAGES_PORT (3550), BENCH_PAGES_DEMO_URL / BENCH_PAGES_SCALE_URL (reuse an already seeded
// database instead of creating and seeding a fresh one; it is then left in place),
// SEED_SCALE_CALLS (1,000,000), BENCH_PAGES_ONLY (demo|scale).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "..");
// Production on PostgreSQL needs the at-rest key (lib/crypto/at-rest-key.ts); one per run, shared by every process started.
const ENCRYPTION_KEY = process.env.LLAVERO_ENCRYPTION_KEY || randomBytes(32).toString("base64");
const REPEAT = Number(process.env.BENCH_PAGES_REPEAT ?? 30);
const WARMUP = 3;
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BASE_PORT = Number(process.env.BENCH_PAGES_PORT ?? 3550);
const BUDGET_MS = { demo: 150, scale: 300 } as const;
const API_DOCS_MAX_BYTES = 60 * 1024;

type DataSet = "demo" | "scale";
const SETS: Record<DataSet, { seed: string; email: string; password: string; reuse?: string }> = {
  demo: { seed: "scripts/seed-demo.ts", email: "demo@llavero.local", password: "llavero-demo-password", reuse: process.env.BENCH_PAGES_DEMO_URL },
  scale: { seed: "scripts/seed-scale.ts", email: "scale@llavero.local", password: "llavero-scale-password", reuse: process.env.BENCH_PAGES_SCALE_URL },
};

/** A dashboard page and the data requests its client code makes on first view (see components/). */
interface PagePlan {
  page: string;
  data: string[];
}

function pagePlans(keyId: string): PagePlan[] {
  const k = encodeURIComponent(keyId);
  return [
    { page: "/keys", data: ["/api/keys"] },
    { page: `/keys/${k}`, data: ["/api/keys?include_revoked=1", `/api/usage?days=30&key_id=${k}`, `/api/keys/${k}/calls?limit=50`] },
    { page: "/usage", data: ["/api/usage?days=30", "/api/usage?days=90"] },
    { page: "/audit-log", data: ["/api/audit-log?limit=50"] },
    { page: "/team", data: [] },
    { page: "/billing", data: ["/api/billing/status"] },
    { page: "/webhooks", data: ["/api/webhooks/endpoints", "/api/webhooks/deliveries?", "/api/webhooks/thresholds"] },
    { page: "/api-docs", data: [] },
  ];
}

const children: ChildProcess[] = [];
const dropOnExit: string[] = [];

function stopChildren() {
  for (const c of children) {
    if (c.pid && c.exitCode === null) {
      try {
        process.kill(-c.pid, "SIGTERM");
      } catch {
        /* gone */
      }
    }
  }
}

async function dropDatabases() {
  if (dropOnExit.length === 0) return;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  for (const name of dropOnExit.splice(0)) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

function dbUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh database seeded by the project's own seed script (the way `npm run seed:*` does). */
async function seededDatabase(set: DataSet): Promise<string> {
  const reuse = SETS[set].reuse;
  if (reuse) return reuse;
  const name = `pages_bench_${set}_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  dropOnExit.push(name);
  const url = dbUrl(name);
  const started = Date.now();
  process.stdout.write(`Seeding ${set} (${SETS[set].seed}) into ${name} …`);
  const r = spawnSync("npx", ["tsx", SETS[set].seed], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${SETS[set].seed} failed: ${r.stderr || r.stdout}`);
  console.log(` done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return url;
}

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn("node", ["server.mjs"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, LLAVERO_ENCRYPTION_KEY: ENCRYPTION_KEY, PORT: String(port), HOSTNAME_BIND: "127.0.0.1", APP_URL: "" },
  });
  children.push(child);
  let log = "";
  child.stdout!.on("data", (b: Buffer) => (log += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (log += b.toString()));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/sign-in`);
      if (res.ok) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start: ${log}`);
}

/**
 * Signs in through the real sign-in page: reads its form (the server action's hidden fields, as
 * React renders them for a form that works without JavaScript), posts it with the credentials,
 * and keeps the session cookie the action sets.
 */
async function signIn(origin: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${origin}/sign-in`);
  const html = await page.text();
  const form = new FormData();
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? "";
    if (name) form.append(name.replaceAll("&amp;", "&"), value.replaceAll("&amp;", "&").replaceAll("&quot;", '"'));
  }
  form.append("email", email);
  form.append("password", password);
  const res = await fetch(`${origin}/sign-in`, { method: "POST", body: form, redirect: "manual", headers: { origin } });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";", 1)[0]!)
    .filter((c) => !c.endsWith("="))
    .join("; ");
  if (!cookie) throw new Error(`sign-in set no cookie (status ${res.status})`);
  const check = await fetch(`${origin}/api/keys`, { headers: { cookie } });
  if (!check.ok) throw new Error(`signed-in check failed: ${check.status}`);
  return cookie;
}

interface Row {
  what: string;
  p50: number;
  p95: number;
  bytes: number;
  status: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(origin: string, cookie: string, url: string): Promise<Row> {
  const ms: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < WARMUP + REPEAT; i++) {
    const t = performance.now();
    const res = await fetch(`${origin}${url}`, { headers: { cookie, accept: url.startsWith("/api/") ? "application/json" : "text/html" } });
    const body = await res.arrayBuffer();
    const took = performance.now() - t;
    status = res.status;
    bytes = body.byteLength;
    if (i >= WARMUP) ms.push(took);
  }
  ms.sort((a, b) => a - b);
  return { what: url, p50: percentile(ms, 50), p95: percentile(ms, 95), bytes, status };
}

interface PageResult {
  page: string;
  html: Row;
  data: Row[];
}

async function runSet(set: DataSet, port: number): Promise<PageResult[]> {
  const url = await seededDatabase(set);
  const server = await startServer(url, port);
  const origin = `http://127.0.0.1:${port}`;
  try {
    const cookie = await signIn(origin, SETS[set].email, SETS[set].password);
    const keys = (await (await fetch(`${origin}/api/keys`, { headers: { cookie } })).json()) as { keys: Array<{ id: string }> };
    // The busiest key is the first one the seed made; any key of the team shows the page's cost.
    const keyId = keys.keys[0]!.id;
    const out: PageResult[] = [];
    for (const plan of pagePlans(keyId)) {
      const html = await measure(origin, cookie, plan.page);
      const data: Row[] = [];
      for (const d of plan.data) data.push(await measure(origin, cookie, d));
      out.push({ page: plan.page, html, data });
    }
    return out;
  } finally {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

function printTables(results: Partial<Record<DataSet, PageResult[]>>) {
  const sets = (Object.keys(results) as DataSet[]).filter((s) => results[s]);
  const first = results[sets[0]!]!;
  const misses: string[] = [];
  for (let p = 0; p < first.length; p++) {
    const page = first[p]!.page.replace(/\/keys\/[^/]+$/, "/keys/{id}");
    console.log(`\n### ${page}\n`);
    const head = ["request", ...sets.flatMap((s) => [`${s} p50 ms`, `${s} p95 ms`, `${s} budget`]), "size (demo)"];
    console.log(`| ${head.join(" | ")} |`);
    console.log(`|:--|${head.slice(1).map(() => "--:").join("|")}|`);
    const rowsOf = (s: DataSet) => [results[s]![p]!.html, ...results[s]![p]!.data];
    const n = rowsOf(sets[0]!).length;
    for (let i = 0; i < n; i++) {
      const label = i === 0 ? "HTML" : rowsOf(sets[0]!)[i]!.what.replace(/\/keys\/[0-9a-f-]{36}/, "/keys/{id}").replace(/key_id=[0-9a-f-]{36}/, "key_id={id}");
      const cells = [label];
      for (const s of sets) {
        const r = rowsOf(s)[i]!;
        const isData = i > 0;
        const ok = !isData || r.p95 <= BUDGET_MS[s];
        cells.push(fmt(r.p50), fmt(r.p95), isData ? `≤ ${BUDGET_MS[s]} ${ok ? "ok" : "OVER"}` : "—");
        if (r.status !== 200) misses.push(`${s} ${page} ${label}: status ${r.status}`);
        else if (!ok) misses.push(`${s} ${page} ${label}: p95 ${fmt(r.p95)} ms > ${BUDGET_MS[s]} ms`);
      }
      cells.push(kb(rowsOf(sets[0]!)[i]!.bytes));
      console.log(`| ${cells.join(" | ")} |`);
    }
    if (page === "/api-docs") {
      const bytes = first[p]!.html.bytes;
      const ok = bytes <= API_DOCS_MAX_BYTES;
      console.log(`\n/api-docs HTML: ${bytes.toLocaleString("en-US")} bytes (${kb(bytes)}); budget ≤ 60 KB: ${ok ? "ok" : "OVER"}`);
      if (!ok) misses.push(`/api-docs is ${kb(bytes)} > 60 KB`);
    }
  }
  console.log(misses.length ? `\nOver budget or failed:\n${misses.map((m) => `  - ${m}`).join("\n")}` : "\nEvery page within budget.");
}

async function main() {
  const needBuild = process.argv.includes("--build") || !existsSync(path.join(ROOT, ".next", "BUILD_ID"));
  if (needBuild) {
    const r = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (r.status !== 0) throw new Error("next build failed");
  }
  const only = process.env.BENCH_PAGES_ONLY as DataSet | undefined;
  const sets: DataSet[] = only ? [only] : ["demo", "scale"];
  console.log(
    `\nDashboard pages: production build, PostgreSQL, ${REPEAT} timed requests per row (one at a time, after ${WARMUP} untimed); ` +
      `load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${spawnSync("nproc", { encoding: "utf8" }).stdout.trim()} cores`,
  );
  const results: Partial<Record<DataSet, PageResult[]>> = {};
  let port = BASE_PORT;
  for (const s of sets) results[s] = await runSet(s, port++);
  printTables(results);
}

let finishing = false;
async function finish(code: number) {
  if (finishing) return;
  finishing = true;
  stopChildren();
  await dropDatabases().catch((e: Error) => console.error(`could not drop the bench databases: ${e.message}`));
  process.exit(code);
}
process.on("SIGINT", () => void finish(130));
process.on("SIGTERM", () => void finish(143));

main()
  .then(() => finish(0))
  .catch((err: Error) => {
    console.error(`pages bench failed: ${err.message}`);
    void finish(1);
  });
