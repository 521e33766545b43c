// Llavero's HTTP entry point: Next.js behind a plain node:http server, so the client's socket
// address reaches the app. Next keeps any X-Forwarded-For a client sends, which a caller could
// forge; we pass the socket address in our own header, overwriting whatever the client sent.
//
// Several processes (issue 14): with WEB_CONCURRENCY > 1 (default in production: one per core)
// this process becomes a node:cluster primary that serves nothing itself. It forks that many
// workers, each a full app (Next, database pool, in-process job worker) sharing one port, and
// starts a new one when one dies. Everything the workers share lives in PostgreSQL (limits are
// row locks in verify_api_call, jobs are claimed with SKIP LOCKED, maintenance takes advisory
// locks), so a worker holds nothing another needs. See server-concurrency.mjs for the count.
import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import nextEnv from "@next/env";
import next from "next";
import { listenPort, workerCount } from "./server-concurrency.mjs";

const dev = process.argv.includes("--dev");
// Every process loads the .env files first, as Next does in each worker, so that a PORT or a
// DATABASE_URL kept in .env.local counts here too (otherwise the primary would think the
// database is embedded, and a PORT from a .env file would move the links but not the server).
const port = listenPort({ cwd: process.cwd(), dev, loadEnvConfig: nextEnv.loadEnvConfig });
// "::" is dual-stack on Linux, macOS and Windows: IPv6 clients and IPv4 ones (seen as
// ::ffff:a.b.c.d, which lib/http/client-ip.ts unmaps). Hosts without IPv6 fall back to 0.0.0.0.
const hostname = process.env.HOSTNAME_BIND || "::";

if (cluster.isPrimary) {
  const { count, note } = workerCount({ env: process.env, dev });
  if (note) console.warn(`Llavero: ${note}`);
  if (count > 1) runPrimary(count);
  else await serve();
} else {
  await serve();
}

/**
 * The cluster primary: forks `count` workers and keeps that many running. A worker that dies is
 * replaced (its admitted calls are already committed: see docs/decisions.md). A worker counts as
 * up once it has run for STABLE_MS: the app checks its database and keys before it listens
 * (instrumentation.ts, run by prepareRenderServer) and exits if it cannot serve (an unmigrated
 * database, say), so "ready" is printed only once every worker passed them. While no
 * worker has ever been up, such an early death stops everything with exit code 1, as a single
 * process would; later ones are retried with a growing delay. A worker killed by a signal is
 * replaced at once. SIGTERM/SIGINT stop the workers, then the primary. If the primary itself dies, node:cluster makes every worker exit at once.
 */
function runPrimary(count) {
  const STABLE_MS = 15_000;
  let stopping = false;
  let announced = false;
  let everUp = false;
  let earlyDeaths = 0;
  const listening = new Set();
  const bornAt = new Map();
  const fork = () => {
    const w = cluster.fork();
    bornAt.set(w.id, Date.now());
    w.once("listening", () => {
      listening.add(w.id);
      if (!announced && listening.size === count) {
        announced = true;
        console.log(`Llavero ready on http://localhost:${port} (${count} processes)`);
      }
    });
    setTimeout(() => {
      if (!w.isDead()) {
        everUp = true;
        earlyDeaths = 0;
      }
    }, STABLE_MS).unref();
  };
  const workers = () => Object.values(cluster.workers ?? {}).filter(Boolean);
  const stopAll = (code) => {
    if (!stopping) {
      stopping = true;
      process.exitCode = code;
      for (const w of workers()) w.process.kill("SIGTERM");
      // A worker stuck on a long request must not keep the primary alive for ever.
      setTimeout(() => {
        for (const w of workers()) w.process.kill("SIGKILL");
        process.exit(code);
      }, 15_000).unref();
    }
    if (workers().length === 0) process.exit(process.exitCode ?? code);
  };
  cluster.on("exit", (w, code, signal) => {
    listening.delete(w.id);
    // Exiting on its own, young: the app could not start. A signal (kill -9, the OOM killer) is
    // a crash of a working process, replaced at once.
    const early = !signal && Date.now() - (bornAt.get(w.id) ?? 0) < STABLE_MS;
    bornAt.delete(w.id);
    if (stopping) return stopAll(process.exitCode ?? 0);
    const how = signal ?? `exit code ${code}`;
    if (early && !everUp) {
      console.error(`Llavero: worker ${w.process.pid} stopped while starting (${how}); stopping.`);
      return stopAll(1);
    }
    if (early) earlyDeaths++;
    // Back off while replacements keep dying young (database down, say).
    const delay = early ? Math.min(250 * 2 ** earlyDeaths, 30_000) : 0;
    console.error(`Llavero: worker ${w.process.pid} died (${how}); starting a replacement${delay ? ` in ${delay} ms` : ""}.`);
    setTimeout(() => !stopping && fork(), delay);
  });
  process.once("SIGTERM", () => stopAll(0));
  process.once("SIGINT", () => stopAll(0));
  for (let i = 0; i < count; i++) fork();
}

/** One app process: Next behind node:http (the only process, or a cluster worker). */
async function serve() {
  const app = next({ dev, hostname: "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  if (!dev) await prepareRenderServer(app);

  const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

  function pathDecodes(url) {
    try {
      decodeURIComponent(url.split("?", 1)[0]);
      return true;
    } catch {
      return false;
    }
  }

  /** A refusal before Next, in the API's envelope (this file cannot import lib/http/envelope.ts). */
  function refuse(res, status, code, message, headers = {}) {
    const id = res.getHeader("x-request-id") ?? randomUUID();
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-request-id": id, ...headers });
    res.end(JSON.stringify({ error: { code, message, request_id: id } }));
  }

  const server = createServer((req, res) => {
    req.headers["x-llavero-socket-ip"] = req.socket.remoteAddress ?? "";
    // Every API answer carries X-Request-Id, Next's own too (a malformed URL, a method no route
    // exports): stamped here, before Next, and passed to the app, which reuses it
    // (lib/http/request-id.ts). A client's own x-llavero-request-id is overwritten.
    if (req.url?.startsWith("/api/")) {
      const id = randomUUID();
      req.headers["x-llavero-request-id"] = id;
      res.setHeader("x-request-id", id);
    }
    // The Fetch standard forbids these methods, so Next cannot build a Request for them and answers
    // 500. Nothing here serves them: 405, in the API's envelope (this file cannot import lib/).
    if (FORBIDDEN_METHODS.has(req.method)) {
      refuse(res, 405, "method_not_allowed", `${req.method} is not supported.`, { allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" });
      return;
    }
    // Next decodes dynamic path segments and answers 500 on a malformed %-escape: a client error.
    if (!pathDecodes(req.url ?? "/")) {
      refuse(res, 400, "invalid_request", "The URL path is not valid percent-encoding.");
      return;
    }
    handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  const ready = () => {
    if (cluster.isWorker) console.log(`Llavero worker ${process.pid} listening on port ${port}`);
    else console.log(`Llavero ${dev ? "(development)" : ""} ready on http://localhost:${port}`);
  };
  server.once("error", (err) => {
    if (hostname === "::" && !process.env.HOSTNAME_BIND && (err.code === "EAFNOSUPPORT" || err.code === "EADDRNOTAVAIL")) {
      server.listen(port, "0.0.0.0", ready);
      return;
    }
    throw err;
  });
  server.listen(port, hostname, ready);

  const stop = () => server.close(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/**
 * In production, Next prepares its render server (and so runs instrumentation.ts: the database
 * check, the at-rest key check) only when the first request arrives, so a server that cannot
 * work would say "ready" and then stop. Prepare it now, before listening. Next's custom-server
 * wrapper exposes no public call for this; if these internals move, the check simply happens at
 * the first request again, as before.
 */
async function prepareRenderServer(app) {
  const nextServer = app.server;
  const renderServer = typeof nextServer?.getServer === "function" ? await nextServer.getServer() : null;
  if (typeof renderServer?.prepare === "function") await renderServer.prepare();
}
