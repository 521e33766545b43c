import "server-only";
import { getDb } from "@/lib/db";
import type { Database } from "@/lib/db/types";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { errorResponse, jsonResponse } from "@/lib/http/envelope";
import { readJsonBody, readQuery } from "@/lib/http/read-input";
import { requestIdOf } from "@/lib/http/request-id";
import { hashApiKey, parseApiKey } from "@/lib/keys/format";
import { noteQuotaUsage } from "@/lib/webhooks/quota";
import { configureCallLog, recordCompletion } from "./call-log";
import { AppError, INTERNAL_MESSAGE } from "@/lib/errors";
import type { HandlerResult, PublicEndpoint } from "./endpoint";
import { idempotencyKeyOf, runIdempotent } from "./idempotency";
import { meteringHeaders, secondsUntil } from "./headers";
import { refusalCode, verifyCall, type RefusedCall, type VerifiedCall } from "./verify";

function keyFromHeaders(headers: Headers): string | null {
  const direct = headers.get("x-api-key");
  // An empty X-API-Key does not hide a key sent as a bearer token.
  if (direct !== null && direct.trim() !== "") return direct;
  const auth = headers.get("authorization");
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return m ? m[1]! : auth !== null ? "" : null;
}

function refusal(v: RefusedCall, scope: string | null, ip: string): AppError {
  const code = refusalCode(v.outcome);
  switch (v.outcome) {
    case "invalid_api_key":
      return new AppError(code, "This API key is not valid. Check it, or create a new one in the dashboard.");
    case "key_expired":
      return new AppError(code, "This API key has expired (or its rotation grace period has ended). Use its replacement or create a new key.");
    case "key_disabled":
      return new AppError(code, "This API key is disabled. Its owner can enable it in the dashboard.");
    case "ip_not_allowed":
      return new AppError(code, `Requests from ${ip} are not allowed for this API key.`);
    case "insufficient_scope":
      return new AppError(code, `This API key does not have the "${scope}" scope.`);
    case "rate_limited": {
      const s = secondsUntil(v.rate_reset_at);
      return new AppError(code, `Too many requests for this key. Retry in ${s} s.`, undefined, { "retry-after": String(s) });
    }
    case "usage_exhausted":
      // A cap never resets by itself, so no Retry-After: retrying cannot help until the owner acts.
      return new AppError(code, "This API key has used all the calls its use cap allows. Its owner can raise the cap in the dashboard.");
    case "quota_exceeded": {
      const resets = v.quota_resets_at?.toISOString().slice(0, 10) ?? "next month";
      return new AppError(code, `Your team has used its ${v.quota_limit} calls for this month. The quota resets on ${resets}.`, undefined, {
        "retry-after": String(secondsUntil(v.quota_resets_at)),
      });
    }
    default:
      return new AppError("internal_error", INTERNAL_MESSAGE);
  }
}

/** Path params (validated), query (validated) and body (read and validated) for a handler. */
async function readInput(e: PublicEndpoint, req: Request, url: URL, rawParams: Record<string, string>) {
  const params = e.params ? e.params.parse(rawParams) : rawParams;
  const query = e.query ? readQuery(url, e.query) : {};
  const body = e.body ? await readJsonBody(req, e.body) : undefined;
  return { params, query, body };
}

/**
 * Every keyed public endpoint is served here: key from the headers, format and checksum checked
 * without the database, then one SQL call that verifies and meters, then the input is read and
 * the handler runs. Every answer to a recognised key carries the rate-limit and quota headers.
 */
export function withApiKey(e: PublicEndpoint & { auth: { kind: "key" } }) {
  const { scope, metered, logOnce } = e.auth;
  // The status the verification writes into the log row for a logOnce endpoint.
  const knownStatus = logOnce ? e.response.status : null;
  return async (req: Request, rawParams: Record<string, string>): Promise<Response> => {
    const started = performance.now();
    const startedAt = Date.now();
    const requestId = requestIdOf(req);
    const raw = keyFromHeaders(req.headers);
    if (raw === null || raw.trim() === "") {
      return errorResponse(new AppError("missing_api_key", "Send your API key in the X-API-Key header."), requestId);
    }
    if (!parseApiKey(raw).ok) {
      return errorResponse(new AppError("invalid_api_key", "This API key is malformed: check that you copied all of it."), requestId);
    }
    const url = new URL(req.url);
    const ip = clientIp(req.headers, env().TRUST_PROXY);
    let call: VerifiedCall;
    let db: Database;
    try {
      db = await getDb();
      configureCallLog(getDb);
      call = await verifyCall(db, {
        keyHash: hashApiKey(raw.trim()),
        // The route's template, so every audit status check counts as one endpoint.
        endpoint: e.path,
        method: req.method,
        // NULL skips verify_api_call's scope check (`not (null = any(scopes))` is not true).
        scope,
        ip,
        userAgent: req.headers.get("user-agent") ?? "",
        // HEAD runs the GET handler but answers no body: it must not spend quota.
        metered: metered && req.method !== "HEAD",
        requestId,
        knownStatus,
      });
    } catch (err) {
      console.error(`[${requestId}] verification failed: ${(err as Error).message}`);
      return errorResponse(new AppError("internal_error", INTERNAL_MESSAGE), requestId);
    }
    const headers = { "x-request-id": requestId, ...meteringHeaders(call) };
    if (call.outcome !== "ok") return errorResponse(refusal(call, scope, ip), requestId, headers);

    let response: Response;
    let summary: Record<string, unknown> | null = null;
    let errorCode: string | null = null;
    try {
      const idemKey = e.idempotent ? idempotencyKeyOf(req.headers) : null;
      // The body's bytes decide whether a retry is the same request; the copy is read only after
      // readInput has accepted the original (size and type).
      const copy = idemKey ? req.clone() : null;
      const input = await readInput(e, req, url, rawParams);
      const ctx = { req, url, requestId, ip, ...input, call, db };
      let result: HandlerResult<unknown>;
      if (idemKey && copy) {
        const body = await copy.text();
        result = await runIdempotent(
          db,
          { keyId: call.key_id, secret: raw.trim(), idemKey, method: req.method, path: url.pathname, body, status: e.response.status },
          (tx) => e.handler({ ...ctx, tx }),
        );
      } else {
        result = await e.handler({ ...ctx, tx: null });
      }
      summary = result.summary ?? null;
      response = jsonResponse(e.response.status, result.body, { ...headers, ...result.headers });
    } catch (err) {
      const known = err instanceof AppError;
      if (!known) console.error(`[${requestId}] handler failed: ${(err as Error)?.message ?? "unknown"}`);
      const appErr = known ? err : new AppError("internal_error", INTERNAL_MESSAGE);
      errorCode = appErr.code;
      response = errorResponse(appErr, requestId, headers);
    }
    // quota.threshold webhooks: decided from figures already in hand, checked off the response path.
    if (metered && req.method !== "HEAD") noteQuotaUsage(getDb, call.team_id, call.quota_used, call.quota_limit);
    // A logOnce endpoint's row is already whole unless the answer differs from the one it promised.
    if (knownStatus === null || response.status !== knownStatus || summary !== null || errorCode !== null) {
      recordCompletion({ callId: call.call_id, at: startedAt, status: response.status, latencyMs: performance.now() - started, summary, errorCode });
    }
    return response;
  };
}

/** An endpoint without a key: input read and validated, handler run, failures in the envelope. */
export function withoutKey(e: PublicEndpoint) {
  return async (req: Request, rawParams: Record<string, string>): Promise<Response> => {
    const requestId = requestIdOf(req);
    const url = new URL(req.url);
    try {
      const input = await readInput(e, req, url, rawParams);
      const result = await e.handler({ req, url, requestId, ...input });
      return jsonResponse(e.response.status, result.body, { ...result.headers, "x-request-id": requestId });
    } catch (err) {
      const known = err instanceof AppError;
      if (!known) console.error(`[${requestId}] handler failed: ${(err as Error)?.message ?? "unknown"}`);
      return errorResponse(known ? err : new AppError("internal_error", INTERNAL_MESSAGE), requestId);
    }
  };
}
