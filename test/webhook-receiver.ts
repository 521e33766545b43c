import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  headers: Record<string, string>;
  body: string;
  /** The status this receiver answered. */
  answered: number;
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer after this many ms (to keep requests in flight). */
  delayMs?: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 (a random free port) that records every request and
 * answers what `respond` says (200 by default).
 */
export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  respond: (r: Omit<Received, "answered" | "at">) => Answer;
  /**
   * Throws unless every recorded message verifies with at least one of the secrets.
   * `signedAtAnyTime`: for attempts made on a test's simulated clock, check the signature
   * against the message's own timestamp instead of standardwebhooks' ±5 min of now.
   */
  verifyAll(secrets: string[], opts?: { signedAtAnyTime?: boolean }): Array<{ type: string; timestamp: string; data: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = {
    url: "",
    port: 0,
    received: [],
    respond: () => ({ status: 200, body: "ok" }),
    verifyAll(secrets, opts = {}) {
      return r.received.map((m) => {
        let lastErr: unknown;
        for (const s of secrets) {
          try {
            if (opts.signedAtAnyTime) {
              const expected = new Webhook(s).sign(m.headers["webhook-id"]!, new Date(Number(m.headers["webhook-timestamp"]) * 1000), m.body);
              if (!m.headers["webhook-signature"]!.split(" ").includes(expected)) throw new Error("No matching signature");
              return JSON.parse(m.body) as never;
            }
            return new Webhook(s).verify(m.body, m.headers) as never;
          } catch (e) {
            lastErr = e;
          }
        }
        throw lastErr;
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const body = Buffer.concat(chunks).toString("utf8");
      const answer = r.respond({ headers, body });
      const send = () => {
        r.received.push({ headers, body, answered: answer.status, at: Date.now() });
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? "");
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}/hook`;
  return r;
}
