/**
 * The plan table: the only place limits live. The public API's SQL function receives the
 * quota part of this table as a parameter (see `planLimitsForSql`), so changing a number here
 * changes it everywhere at the next request.
 */
export const PLAN_IDS = ["free", "pro", "business"] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface Plan {
  id: PlanId;
  name: string;
  monthlyCalls: number;
  keyLimit: number;
  rateCeilingPerMinute: number;
  /** Whether calls past the monthly quota are served and billed as overage. */
  overageAllowed: boolean;
  trialDays: number;
}

export const PLANS: Record<PlanId, Plan> = {
  free: { id: "free", name: "Free", monthlyCalls: 100, keyLimit: 2, rateCeilingPerMinute: 10, overageAllowed: false, trialDays: 0 },
  pro: { id: "pro", name: "Pro", monthlyCalls: 2_000, keyLimit: 5, rateCeilingPerMinute: 60, overageAllowed: true, trialDays: 15 },
  business: { id: "business", name: "Business", monthlyCalls: 10_000, keyLimit: 20, rateCeilingPerMinute: 300, overageAllowed: true, trialDays: 0 },
};

export function getPlan(id: string): Plan {
  return PLANS[(PLAN_IDS as readonly string[]).includes(id) ? (id as PlanId) : "free"];
}

/** The per-minute limit verify_api_call enforces: the key's own, capped by the plan's ceiling. */
export function enforcedRateLimit(keyLimit: number, plan: Plan): number {
  return Math.min(keyLimit, plan.rateCeilingPerMinute);
}

/** A new key's rate limit when the user does not pick one: the plan's ceiling. */
export function defaultRateLimit(plan: Plan): number {
  return plan.rateCeilingPerMinute;
}

/**
 * The part of the plan table verify_api_call needs, as JSON: `{ [plan]: { monthly_calls,
 * overage_allowed, rate_ceiling_per_minute } }`. The ceiling caps each key's enforced rate.
 */
export function planLimitsForSql(): string {
  const out: Record<string, { monthly_calls: number; overage_allowed: boolean; rate_ceiling_per_minute: number }> = {};
  for (const p of Object.values(PLANS)) {
    out[p.id] = { monthly_calls: p.monthlyCalls, overage_allowed: p.overageAllowed, rate_ceiling_per_minute: p.rateCeilingPerMinute };
  }
  return JSON.stringify(out);
}

/** The first instant of the next calendar month in UTC, when monthly quotas reset. */
export function quotaResetsAt(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}
