// No "server-only": deliveries are sent by the worker.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";

import { DELIVERY_TIMEOUT_MS, RESPONSE_BODY_BYTES } from "./schedule";

export { DELIVERY_TIMEOUT_MS, RESPONSE_BODY_BYTES };

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Lifts the private-address filter (WEBHOOKS_ALLOW_PRIVATE=true). */
  allowPrivate: boolean;
  timeoutMs?: number;
  /** DNS lookup used for the connection; tests inject one to play a rebinding name. */
  lookup?: LookupFunction;
  signal?: AbortSignal;
}

export interface SendResult {
  /** Null when no HTTP answer arrived (refused address, timeout, connection error). */
  status: number | null;
  /** The first 1 KiB of the answer, cut on a character boundary. */
  body: string | null;
  latencyMs: number;
  /** Seconds from a `Retry-After` header (delta-seconds or an HTTP date), when present. */
  retryAfterSeconds: number | null;
  error: string | null;
}

/** First `max` bytes of UTF-8 text, never splitting a character. */
export function clipUtf8(text: string, max = RESPONSE_BODY_BYTES): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= max) return text;
  let end = max;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * One POST of a signed message. The filtering agent checks the address the socket actually
 * connects to (after DNS), so a name that resolved to a public address when the endpoint was
 * saved and to 127.0.0.1 now is refused. Redirects are not followed: a 3xx is a failure like
 * any non-2xx. Never throws; the outcome is in the result.
 */
export function sendWebhook(req: SendRequest): Promise<SendResult> {
  const started = performance.now();
  const timeoutMs = req.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const url = new URL(req.url);
  const isHttps = url.protocol === "https:";
  const agentOpts = { keepAlive: false, allowPrivateIPAddress: req.allowPrivate, allowMetaIPAddress: req.allowPrivate };
  const agent = isHttps ? new RequestFilteringHttpsAgent(agentOpts) : new RequestFilteringHttpAgent(agentOpts);
  const mod = isHttps ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      agent.destroy();
      resolve({ ...r, latencyMs: Math.round(performance.now() - started) });
    };
    const request = mod.request(
      url,
      {
        method: "POST",
        agent,
        lookup: req.lookup,
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(req.body)),
          "user-agent": "Llavero-Webhooks/1.0",
          ...req.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          // Keep a little more than 1 KiB so the cut lands on a character boundary; drain the rest.
          if (size < RESPONSE_BODY_BYTES + 4) chunks.push(chunk);
          size += chunk.length;
        });
        const done = () =>
          finish({
            status: res.statusCode ?? null,
            body: clipUtf8(Buffer.concat(chunks).subarray(0, RESPONSE_BODY_BYTES + 4).toString("utf8")),
            retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
            error: null,
          });
        res.on("end", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`No answer within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    req.signal?.addEventListener("abort", () => request.destroy(new Error("The delivery was aborted.")), { once: true });
    request.on("error", (err) => finish({ status: null, body: null, retryAfterSeconds: null, error: describe(err) }));
    request.end(req.body);
  });
}

function describe(err: Error): string {
  const msg = err.message || err.name;
  if (/not allowed/i.test(msg)) return `Refused: the endpoint's address is not allowed (${msg.replace(/^DNS lookup /, "")})`;
  return msg.slice(0, 500);
}
