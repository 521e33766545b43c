/**
 * The one error type business rules throw. Route handlers and server actions map it to the
 * standard envelope `{error:{code,message,request_id,details?}}`; anything else becomes a 500
 * with no internals in the message.
 */
export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "limit_reached"
  | "rate_limited"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "internal_error";

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_reached: 409,
  rate_limited: 429,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
};

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = "AppError";
    this.status = STATUS[code];
  }
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
