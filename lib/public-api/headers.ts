import type { VerifiedCall } from "./verify";

/** Rate-limit and quota headers for every answer to a recognised key. */
export function meteringHeaders(v: VerifiedCall, now = Date.now()): Record<string, string> {
  if (v.key_id === null) return {};
  const resetSeconds = v.rate_reset_at ? Math.max(0, Math.ceil((v.rate_reset_at.getTime() - now) / 1000)) : 0;
  return {
    "x-ratelimit-limit": String(v.rate_limit ?? 0),
    "x-ratelimit-remaining": String(v.rate_remaining ?? 0),
    "x-ratelimit-reset": String(resetSeconds),
    "x-quota-limit": String(v.quota_limit ?? 0),
    "x-quota-remaining": String(Math.max(0, (v.quota_limit ?? 0) - (v.quota_used ?? 0))),
  };
}

export function secondsUntil(date: Date | null, now = Date.now()): number {
  return date ? Math.max(1, Math.ceil((date.getTime() - now) / 1000)) : 60;
}
