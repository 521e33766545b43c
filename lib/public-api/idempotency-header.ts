/** The Idempotency-Key header's name and how long an answer is kept (lib/public-api/idempotency.ts). */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_TTL_HOURS = 24;
