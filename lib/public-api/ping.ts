import type { VerifiedCall } from "./verify";

export function pingBody(c: VerifiedCall) {
  const limit = c.quota_limit ?? 0;
  const used = c.quota_used ?? 0;
  return {
    ok: true,
    key: { id: c.key_id, name: c.key_name, prefix: c.key_prefix, last4: c.key_last4, scopes: c.key_scopes, expires_at: c.key_expires_at?.toISOString() ?? null },
    team: { id: c.team_id, name: c.team_name, plan: c.team_plan },
    quota: { limit, used, remaining: Math.max(0, limit - used), resets_at: c.quota_resets_at?.toISOString() ?? null },
    rate_limit: { limit: c.rate_limit, remaining: c.rate_remaining, reset_at: c.rate_reset_at?.toISOString() ?? null },
  };
}
