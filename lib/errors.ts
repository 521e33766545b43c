import { z } from "zod";

/**
 * The one error model. Every error code the app answers with and its HTTP status, in one table;
 * the public API's codes are a declared subset (`PUBLIC_ERROR_CODES`, in the order of the contract's
 * error table). Business rules throw `AppError` and nothing else; route
 * handlers and server actions turn it into the envelope `{error:{code,message,request_id,details?}}`
 * (lib/http/envelope.ts) or an `ActionResult` (lib/actions/action.ts).
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  missing_api_key: 401,
  invalid_api_key: 401,
  key_expired: 401,
  forbidden: 403,
  cross_site_request: 403,
  key_disabled: 403,
  ip_not_allowed: 403,
  insufficient_scope: 403,
  usage_exhausted: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  limit_reached: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  quota_exceeded: 429,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The codes the public API may answer with, in the order the contract lists them. */
export const PUBLIC_ERROR_CODES = [
  "invalid_request",
  "missing_api_key",
  "invalid_api_key",
  "key_expired",
  "key_disabled",
  "ip_not_allowed",
  "insufficient_scope",
  "usage_exhausted",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "limit_reached",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "quota_exceeded",
  "internal_error",
] as const satisfies readonly ErrorCode[];

export type PublicErrorCode = (typeof PUBLIC_ERROR_CODES)[number];

/** Public code → HTTP status, in contract order (the API page and OpenAPI document list it). */
export const PUBLIC_ERRORS = Object.fromEntries(PUBLIC_ERROR_CODES.map((c) => [c, ERROR_STATUS[c]])) as {
  readonly [K in PublicErrorCode]: (typeof ERROR_STATUS)[K];
};

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  /**
   * @param details per-field problems (`path` is dotted, "(body)" for the whole body)
   * @param headers extra response headers, lower-case names (`retry-after` in seconds, `allow`)
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
  }
}

/** The one zod-issue mapper: each issue as `{path, message}`, "(body)" for a root issue. */
export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
}

/** A zod failure as a 400; `message` names what was invalid (the body, the query string). */
export function invalidInput(error: z.ZodError, message = "The body is not valid."): AppError {
  return new AppError("invalid_request", message, zodDetails(error));
}

/** PostgreSQL SQLSTATEs our SQL functions raise on purpose, with messages meant for people. */
export function fromDatabaseError(err: unknown): AppError | null {
  const e = err as { code?: string; message?: string };
  switch (e?.code) {
    case "P0002":
      return new AppError("not_found", e.message ?? "Not found.");
    case "42501":
      return new AppError("forbidden", e.message?.startsWith("new row violates") ? "You are not allowed to do that." : (e.message ?? "Forbidden."));
    case "28000":
      return new AppError("unauthorized", "Sign in first.");
    case "23505":
      return new AppError("conflict", "That already exists.");
    case "23514":
    case "22P02":
    case "22023":
    case "22003":
    case "22008":
    case "22021":
    case "22P05":
      return new AppError("invalid_request", "Some values are not valid.");
    default:
      return null;
  }
}

/**
 * Any thrown value as an AppError: itself, a zod failure (400), a database error we raise on
 * purpose, or null for anything unexpected (the caller logs it by name and answers 500).
 */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return invalidInput(err, "Some fields are not valid.");
  return fromDatabaseError(err);
}

export const INTERNAL_MESSAGE = "Something went wrong on our side.";
