// The database's ceiling for `npm run bench`: a bare node:http server doing exactly what the
// public API's hot path does around the database (key format and checksum, SHA-256, the one
// `verify_api_call` round trip with the same SQL text, parameters and plan JSON, through the same
// node-postgres Pool as the app) and answering the ping JSON with the metering headers, but with
// no framework in between. Started by bench/run.ts as its own process, like the app.
//
// Run with: node --conditions=react-server --import tsx bench/bare-server.ts
// (`react-server` makes the `server-only` import in lib/public-api/verify.ts a no-op, as inside Next.)
// Env: DATABASE_URL (required), PORT (default 3999).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { openPostgres } from "../lib/db/postgres";
import { hashApiKey, parseApiKey } from "../lib/keys/format";
import { normalizeIp } from "../lib/http/client-ip";
import { meteringHeaders } from "../lib/public-api/headers";
import { pingBody } from "../lib/public-api/ping";
import { verifyCall } from "../lib/public-api/verify";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("bare-server: DATABASE_URL is not set");
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3999);
// The app's pool: openPostgres with its default size (10).
const db = openPostgres(url);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function ping(req: IncomingMessage, res: ServerResponse) {
  const requestId = randomUUID();
  const raw = req.headers["x-api-key"];
  if (typeof raw !== "string" || !parseApiKey(raw).ok) {
    send(res, 401, { error: { code: "invalid_api_key", request_id: requestId } });
    return;
  }
  const call = await verifyCall(db, {
    keyHash: hashApiKey(raw.trim()),
    endpoint: "/api/public/ping",
    method: req.method ?? "GET",
    scope: "ping",
    ip: normalizeIp(req.socket.remoteAddress ?? "0.0.0.0"),
    userAgent: req.headers["user-agent"] ?? "",
    metered: false,
    requestId,
    // As the app's ping does (logOnce): the log row is written whole by the verification.
    knownStatus: 200,
  });
  const headers = { "x-request-id": requestId, ...meteringHeaders(call) };
  if (call.outcome !== "ok") {
    send(res, 403, { error: { code: call.outcome, request_id: requestId } }, headers);
    return;
  }
  send(res, 200, pingBody(call), headers);
}

const server = createServer((req, res) => {
  if (req.url === "/api/public/ping" && req.method === "GET") {
    ping(req, res).catch((err: Error) => {
      console.error(`bare-server: ${err.message}`);
      if (!res.headersSent) send(res, 500, { error: { code: "internal_error" } });
      else res.destroy();
    });
    return;
  }
  send(res, 404, { error: { code: "not_found" } });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`bare-server ready on http://127.0.0.1:${port}`));

const stop = () => {
  server.close();
  void db.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
