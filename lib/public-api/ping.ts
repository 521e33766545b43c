import type { KeyScope } from "@/lib/keys/key-input.schema";
import type { PlanId } from "@/lib/plans";
import type { AdmittedCall } from "./verify";

/** GET /api/public/ping's body: the key, its team, the quota and the rate window (ISO 8601 times). */
export function pingBody(c: AdmittedCall) {
  const limit = c.quota_limit;
  const used = c.quota_used;
  return {
    ok: true as const,
    // Scopes and plans are held to these lists by the database's check constraints.
    key: { id: c.key_id, name: c.key_name, prefix: c.key_prefix, last4: c.key_last4, scopes: c.key_scopes as KeyScope[], expires_at: c.key_expires_at?.toISOString() ?? null },
    team: { id: c.team_id, name: c.team_name, plan: c.team_plan as PlanId },
    quota: { limit, used, remaining: Math.max(0, limit - used), resets_at: c.quota_resets_at.toISOString() },
    rate_limit: { limit: c.rate_limit, remaining: c.rate_remaining, reset_at: c.rate_reset_at.toISOString() },
  };
}
