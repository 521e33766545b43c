// Llavero's HTTP entry point: Next.js behind a plain node:http server, so the client's socket
// address reaches the app. Next keeps any X-Forwarded-For a client sends, which a caller could
// forge; we pass the socket address in our own header, overwriting whatever the client sent.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import next from "next";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
// "::" is dual-stack on Linux, macOS and Windows: IPv6 clients and IPv4 ones (seen as
// ::ffff:a.b.c.d, which lib/http/client-ip.ts unmaps). Hosts without IPv6 fall back to 0.0.0.0.
const hostname = process.env.HOSTNAME_BIND || "::";

const app = next({ dev, hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

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
const ready = () => console.log(`Llavero ${dev ? "(development)" : ""} ready on http://localhost:${port}`);
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
