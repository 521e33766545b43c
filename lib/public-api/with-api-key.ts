import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { getDb } from "@/lib/db";
import type { Database } from "@/lib/db/types";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { errorResponse, jsonResponse } from "@/lib/http/envelope";
import { readJsonBody, readQuery } from "@/lib/http/read-input";
import { hashApiKey, parseApiKey } from "@/lib/keys/format";
import type { KeyScope } from "@/lib/keys/key-input.schema";
import { configureCallLog, recordCompletion } from "./call-log";
import { AppError, INTERNAL_MESSAGE, type PublicErrorCode } from "@/lib/errors";
import { meteringHeaders, secondsUntil } from "./headers";
import { verifyCall, type VerifiedCall } from "./verify";

export interface ApiContext {
  req: Request;
  url: URL;
  requestId: string;
  call: VerifiedCall;
  db: Database;
  /** Reads and validates the JSON body (415, 413, 400 as the contract says). */
  json<T>(schema: z.ZodType<T>): Promise<T>;
  /** Validates the query string (400 with details). */
  query<T>(schema: z.ZodType<T>): T;
}

export interface HandlerResult {
  status?: number;
  body: unknown;
  /** A short, secret-free description for the call log (the RFC and its verdict, say). */
  summary?: Record<string, unknown> | null;
}

export interface ApiKeyOptions {
  scope: KeyScope;
  /** Whether an admitted call consumes the team's monthly quota. */
  metered: boolean;
  /**
   * The route as the call log and the charts name it. Defaults to the request path; routes with
   * an id in the path give their template, so every audit status check counts as one endpoint.
   */
  endpoint?: string;
}

function keyFromHeaders(headers: Headers): string | null {
  const direct = headers.get("x-api-key");
  // An empty X-API-Key does not hide a key sent as a bearer token.
  if (direct !== null && direct.trim() !== "") return direct;
  const auth = headers.get("authorization");
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return m ? m[1]! : auth !== null ? "" : null;
}

function refusal(v: VerifiedCall, scope: string, ip: string): AppError {
  const code: PublicErrorCode = v.outcome === "use_cap_reached" ? "quota_exceeded" : (v.outcome as PublicErrorCode);
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
    case "use_cap_reached":
      return new AppError(code, "This API key has used its total-use cap. Its owner can raise the cap in the dashboard.", undefined, {
        "retry-after": "3600",
      });
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

/**
 * Every public route goes through here: key from the headers, format and checksum checked
 * without the database, then one SQL call that verifies and meters, then the handler. Every
 * answer to a recognised key carries the rate-limit and quota headers.
 */
export function withApiKey(handler: (ctx: ApiContext) => Promise<HandlerResult>, opts: ApiKeyOptions) {
  return async (req: Request): Promise<Response> => {
    const started = performance.now();
    const requestId = randomUUID();
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
        endpoint: opts.endpoint ?? url.pathname,
        method: req.method,
        scope: opts.scope,
        ip,
        userAgent: req.headers.get("user-agent") ?? "",
        // HEAD runs the GET handler but answers no body: it must not spend quota.
        metered: opts.metered && req.method !== "HEAD",
        requestId,
      });
    } catch (err) {
      console.error(`[${requestId}] verification failed: ${(err as Error).message}`);
      return errorResponse(new AppError("internal_error", INTERNAL_MESSAGE), requestId);
    }
    const headers = { "x-request-id": requestId, ...meteringHeaders(call) };
    if (call.outcome !== "ok") return errorResponse(refusal(call, opts.scope, ip), requestId, headers);

    const ctx: ApiContext = {
      req,
      url,
      requestId,
      call,
      db,
      json: (schema) => readJsonBody(req, schema),
      query: (schema) => readQuery(url, schema),
    };

    let response: Response;
    let summary: Record<string, unknown> | null = null;
    let errorCode: string | null = null;
    try {
      const result = await handler(ctx);
      summary = result.summary ?? null;
      response = jsonResponse(result.status ?? 200, result.body, headers);
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError("internal_error", INTERNAL_MESSAGE);
      if (!(err instanceof AppError)) console.error(`[${requestId}] handler failed: ${(err as Error)?.message ?? "unknown"}`);
      errorCode = e.code;
      response = errorResponse(e, requestId, headers);
    }
    if (call.call_id !== null) {
      recordCompletion({ callId: call.call_id, status: response.status, latencyMs: performance.now() - started, summary, errorCode });
    }
    return response;
  };
}

export { methodNotAllowed } from "@/lib/http/envelope";
