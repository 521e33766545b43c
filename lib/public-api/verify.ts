import "server-only";
import type { Queryable } from "@/lib/db/types";
import { planLimitsForSql } from "@/lib/plans";

export type VerifyOutcome =
  | "ok"
  | "invalid_api_key"
  | "key_expired"
  | "key_disabled"
  | "ip_not_allowed"
  | "insufficient_scope"
  | "rate_limited"
  | "use_cap_reached"
  | "quota_exceeded";

export interface VerifiedCall {
  outcome: VerifyOutcome;
  call_id: number | null;
  key_id: string | null;
  key_name: string | null;
  key_prefix: string | null;
  key_last4: string | null;
  key_scopes: string[] | null;
  key_expires_at: Date | null;
  team_id: string | null;
  team_name: string | null;
  team_plan: string | null;
  rate_limit: number | null;
  rate_remaining: number | null;
  rate_reset_at: Date | null;
  quota_limit: number | null;
  quota_used: number | null;
  quota_resets_at: Date | null;
  overage: boolean | null;
}

export interface VerifyRequest {
  keyHash: string;
  endpoint: string;
  method: string;
  scope: string;
  ip: string;
  userAgent: string;
  metered: boolean;
  requestId: string;
}

// The plan table changes only with a deploy; serialise it once.
const plans = planLimitsForSql();

export const VERIFY_SQL = "select * from public.verify_api_call($1, $2, $3, $4, $5::inet, $6, $7, $8::jsonb, $9)";

/** The hot path's one round trip: verification, limits, counters and the call-log row. */
export async function verifyCall(db: Queryable, r: VerifyRequest): Promise<VerifiedCall> {
  const { rows } = await db.query<VerifiedCall>(VERIFY_SQL, [r.keyHash, r.endpoint, r.method, r.scope, r.ip, r.userAgent, r.metered, plans, r.requestId]);
  return rows[0]!;
}
