import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { getDb } from "@/lib/db";
import type { Database } from "@/lib/db/types";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { readBodyCapped } from "@/lib/http/read-body";
import { hashApiKey, parseApiKey } from "@/lib/keys/format";
import type { KeyScope } from "@/lib/keys/key-input.schema";
import { noteQuotaUsage } from "@/lib/webhooks/quota";
import { configureCallLog, recordCompletion } from "./call-log";
import { errorBody, PublicApiError, type PublicErrorCode } from "./errors";
import { meteringHeaders, secondsUntil } from "./headers";
import { verifyCall, type VerifiedCall } from "./verify";

export const MAX_BODY_BYTES = 64 * 1024;

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

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

export function errorResponse(err: PublicApiError, requestId: string, extra: Record<string, string> = {}): Response {
  return json(err.status, errorBody(err.code, err.message, requestId, err.details), { "x-request-id": requestId, ...extra, ...err.headers });
}

function keyFromHeaders(headers: Headers): string | null {
  const direct = headers.get("x-api-key");
  // An empty X-API-Key does not hide a key sent as a bearer token.
  if (direct !== null && direct.trim() !== "") return direct;
  const auth = headers.get("authorization");
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return m ? m[1]! : auth !== null ? "" : null;
}

function refusal(v: VerifiedCall, scope: string, ip: string): PublicApiError {
  const code: PublicErrorCode = v.outcome === "use_cap_reached" ? "quota_exceeded" : (v.outcome as PublicErrorCode);
  switch (v.outcome) {
    case "invalid_api_key":
      return new PublicApiError(code, "This API key is not valid. Check it, or create a new one in the dashboard.");
    case "key_expired":
      return new PublicApiError(code, "This API key has expired (or its rotation grace period has ended). Use its replacement or create a new key.");
    case "key_disabled":
      return new PublicApiError(code, "This API key is disabled. Its owner can enable it in the dashboard.");
    case "ip_not_allowed":
      return new PublicApiError(code, `Requests from ${ip} are not allowed for this API key.`);
    case "insufficient_scope":
      return new PublicApiError(code, `This API key does not have the "${scope}" scope.`);
    case "rate_limited": {
      const s = secondsUntil(v.rate_reset_at);
      return new PublicApiError(code, `Too many requests for this key. Retry in ${s} s.`, undefined, { "retry-after": String(s) });
    }
    case "use_cap_reached":
      return new PublicApiError(code, "This API key has used its total-use cap. Its owner can raise the cap in the dashboard.", undefined, {
        "retry-after": "3600",
      });
    case "quota_exceeded": {
      const resets = v.quota_resets_at?.toISOString().slice(0, 10) ?? "next month";
      return new PublicApiError(code, `Your team has used its ${v.quota_limit} calls for this month. The quota resets on ${resets}.`, undefined, {
        "retry-after": String(secondsUntil(v.quota_resets_at)),
      });
    }
    default:
      return new PublicApiError("internal_error", "Something went wrong on our side.");
  }
}

async function readBody(req: Request): Promise<string> {
  const text = await readBodyCapped(req, MAX_BODY_BYTES);
  if (text === null) throw new PublicApiError("payload_too_large", "The body is larger than 64 KiB.");
  return text;
}

function zodDetails(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
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
      return errorResponse(new PublicApiError("missing_api_key", "Send your API key in the X-API-Key header."), requestId);
    }
    if (!parseApiKey(raw).ok) {
      return errorResponse(new PublicApiError("invalid_api_key", "This API key is malformed: check that you copied all of it."), requestId);
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
      return errorResponse(new PublicApiError("internal_error", "Something went wrong on our side."), requestId);
    }
    const headers = { "x-request-id": requestId, ...meteringHeaders(call) };
    if (call.outcome !== "ok") return errorResponse(refusal(call, opts.scope, ip), requestId, headers);

    const ctx: ApiContext = {
      req,
      url,
      requestId,
      call,
      db,
      async json<T>(schema: z.ZodType<T>) {
        if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
          throw new PublicApiError("unsupported_media_type", "Send the body as application/json.");
        }
        const text = await readBody(req);
        let data: unknown;
        try {
          data = JSON.parse(text);
        } catch {
          throw new PublicApiError("invalid_request", "The body is not valid JSON.", [{ path: "(body)", message: "Invalid JSON." }]);
        }
        const parsed = schema.safeParse(data);
        if (!parsed.success) throw new PublicApiError("invalid_request", "The body is not valid.", zodDetails(parsed.error));
        return parsed.data;
      },
      query<T>(schema: z.ZodType<T>) {
        const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
        if (!parsed.success) throw new PublicApiError("invalid_request", "The query string is not valid.", zodDetails(parsed.error));
        return parsed.data;
      },
    };

    let response: Response;
    let summary: Record<string, unknown> | null = null;
    let errorCode: string | null = null;
    try {
      const result = await handler(ctx);
      summary = result.summary ?? null;
      response = json(result.status ?? 200, result.body, headers);
    } catch (err) {
      const e = err instanceof PublicApiError ? err : new PublicApiError("internal_error", "Something went wrong on our side.");
      if (!(err instanceof PublicApiError)) console.error(`[${requestId}] handler failed: ${(err as Error)?.message ?? "unknown"}`);
      errorCode = e.code;
      response = errorResponse(e, requestId, headers);
    }
    // quota.threshold webhooks: decided from figures already in hand, checked off the response path.
    if (opts.metered) noteQuotaUsage(getDb, call.team_id, call.quota_used, call.quota_limit);
    if (call.call_id !== null) {
      recordCompletion({ callId: call.call_id, status: response.status, latencyMs: performance.now() - started, summary, errorCode });
    }
    return response;
  };
}

/** Next answers an unexported method with an empty 405; the contract wants the envelope and Allow. */
export function methodNotAllowed(allow: string[]) {
  return async (): Promise<Response> => {
    const requestId = randomUUID();
    return errorResponse(new PublicApiError("method_not_allowed", `Use ${allow.join(" or ")} for this endpoint.`), requestId, {
      allow: allow.join(", "),
    });
  };
}
