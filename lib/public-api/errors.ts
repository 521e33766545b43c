/** The public API's error codes and statuses, exactly as the contract (docs/public-api.md) lists them. */
export const PUBLIC_ERRORS = {
  invalid_request: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  key_expired: 401,
  key_disabled: 403,
  ip_not_allowed: 403,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  quota_exceeded: 429,
  internal_error: 500,
} as const;

export type PublicErrorCode = keyof typeof PUBLIC_ERRORS;

export interface PublicErrorDetail {
  path: string;
  message: string;
}

export class PublicApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: PublicErrorCode,
    message: string,
    readonly details?: PublicErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "PublicApiError";
    this.status = PUBLIC_ERRORS[code];
  }
}

export function errorBody(code: PublicErrorCode, message: string, requestId: string, details?: PublicErrorDetail[]) {
  return { error: { code, message, request_id: requestId, ...(details?.length ? { details } : {}) } };
}
