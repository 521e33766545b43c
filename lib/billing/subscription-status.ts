// No "server-only": read on the server's own connection, by team id (the API key names the team).
import type { Queryable } from "@/lib/db/types";
import { getPlan, type PlanId } from "@/lib/plans";
import { catalogFor } from "./catalog";
import { daysLeft, type SubscriptionStatus } from "./state";

/** GET /api/public/subscription's body (docs: shared/spec/public-api.md). Dates ISO, price in USD. */
export interface SubscriptionStatusBody {
  plan: { id: PlanId; name: string; price: number; currency: "USD" };
  status: SubscriptionStatus | "free";
  is_in_trial: boolean;
  trial_days_remaining: number;
  trial_ends_at: string | null;
  current_period_end: string | null;
  days_until_expiry: number | null;
  cancel_at_period_end: boolean;
  needs_payment: boolean;
}

/**
 * The team's subscription for its own apps. `plan` is the plan whose limits apply now (Free
 * after a grace period ran out); `status` is Stripe's, or `free` without a subscription;
 * `needs_payment` is true for past_due, unpaid, incomplete, and a trial that ended unpaid.
 * `days_until_expiry`: whole days to the end of the trial (while trialing) or of the period.
 */
export async function subscriptionStatus(db: Queryable, teamId: string, now = new Date()): Promise<SubscriptionStatusBody> {
  const r = await db.query<{ plan: PlanId; status: SubscriptionStatus | null; trial_end: Date | null; current_period_end: Date | null; cancel_at_period_end: boolean | null }>(
    `select t.plan, b.status, b.trial_end, b.current_period_end, b.cancel_at_period_end
       from public.teams t left join public.team_billing b on b.team_id = t.id where t.id = $1`,
    [teamId],
  );
  const row = r.rows[0];
  const plan = getPlan(row?.plan ?? "free");
  const price = (catalogFor(plan.id)?.baseUnitAmount ?? 0) / 100;
  const status = row?.status ?? "free";
  const trialEnd = row?.trial_end ? new Date(row.trial_end) : null;
  const periodEnd = row?.current_period_end ? new Date(row.current_period_end) : null;
  const inTrial = status === "trialing" && trialEnd !== null && trialEnd > now;
  const trialEndedUnpaid = status === "trialing" && trialEnd !== null && trialEnd <= now;
  const expiry = status === "trialing" ? trialEnd : status === "free" || status === "canceled" ? null : periodEnd;
  return {
    plan: { id: plan.id, name: plan.name, price, currency: "USD" },
    status,
    is_in_trial: inTrial,
    trial_days_remaining: inTrial ? daysLeft(trialEnd, now) : 0,
    trial_ends_at: trialEnd?.toISOString() ?? null,
    current_period_end: periodEnd?.toISOString() ?? null,
    days_until_expiry: expiry ? daysLeft(expiry, now) : null,
    cancel_at_period_end: row?.cancel_at_period_end ?? false,
    needs_payment: status === "past_due" || status === "unpaid" || status === "incomplete" || trialEndedUnpaid,
  };
}
