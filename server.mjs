// Llavero's HTTP entry point: Next.js behind a plain node:http server, so the client's socket
// address reaches the app. Next keeps any X-Forwarded-For a client sends, which a caller could
// forge; we pass the socket address in our own header, overwriting whatever the client sent.
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

const server = createServer((req, res) => {
  req.headers["x-llavero-socket-ip"] = req.socket.remoteAddress ?? "";
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
