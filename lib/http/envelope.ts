import "server-only";
import { AppError, INTERNAL_MESSAGE, toAppError } from "@/lib/errors";
import { requestIdOf } from "./request-id";

const JSON_TYPE = "application/json; charset=utf-8";

/** A JSON answer; `headers` are added after the content type. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } });
}

/**
 * The one envelope writer: `{error:{code,message,request_id,details?}}` with the error's status,
 * `x-request-id`, then `headers` (metering headers, say), then the error's own (Retry-After, Allow).
 */
export function errorResponse(err: AppError, requestId: string, headers: Record<string, string> = {}): Response {
  const body = { error: { code: err.code, message: err.message, request_id: requestId, ...(err.details?.length ? { details: err.details } : {}) } };
  return jsonResponse(err.status, body, { "x-request-id": requestId, ...headers, ...err.headers });
}

/**
 * Any failure as an envelope: AppError, zod and known database errors as themselves, anything else
 * logged by message under the request id and answered 500 without internals.
 */
export function failureResponse(err: unknown, requestId: string, where: string, headers: Record<string, string> = {}): Response {
  return errorResponse(appErrorOrInternal(err, requestId, where), requestId, headers);
}

/** `toAppError`, or a logged 500 for the unexpected. */
export function appErrorOrInternal(err: unknown, requestId: string, where: string): AppError {
  const mapped = toAppError(err);
  if (mapped) return mapped;
  console.error(`[${requestId}] ${where} failed: ${(err as Error)?.message ?? "unknown error"}`);
  return new AppError("internal_error", INTERNAL_MESSAGE);
}

/** Next answers an unexported method with an empty 405; we answer the envelope and `Allow`. */
export function methodNotAllowed(allow: readonly string[]) {
  return async (req?: Request): Promise<Response> =>
    errorResponse(new AppError("method_not_allowed", `Use ${allow.join(" or ")} for this endpoint.`, undefined, { allow: allow.join(", ") }), requestIdOf(req));
}

/**
 * OPTIONS, answered by us rather than by Next (whose 204 has no request id): 204 with `Allow`
 * (the declared methods, plus HEAD for GET, plus OPTIONS) and `x-request-id`. No CORS headers:
 * the public API is called from servers, and the dashboard is same-origin.
 */
export function optionsAnswer(allow: readonly string[]) {
  const methods = [...allow, ...(allow.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  return async (req?: Request): Promise<Response> => new Response(null, { status: 204, headers: { allow: methods, "x-request-id": requestIdOf(req) } });
}
