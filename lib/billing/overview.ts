import "server-only";
import { asUser } from "@/lib/db/as-user";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getPlan, quotaResetsAt, type PlanId } from "@/lib/plans";
import { overageCostCents } from "./catalog";
import type { BillingOverview } from "./overview.schema";
import { daysLeft, type SubscriptionStatus } from "./state";

interface Row {
  role: BillingOverview["role"];
  plan: PlanId;
  overage_hard_cap: number | null;
  calls: number | null;
  overage: number | null;
}

interface BillingRow {
  subscribed_plan: PlanId | null;
  status: SubscriptionStatus | null;
  trial_end: Date | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  past_due_since: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * The billing page's data, read as the user so row-level security decides: members get plan
 * and quota; owners and admins also the subscription and overage. 404 if not a member.
 */
export async function getBillingOverview(userId: string, teamId: string, now = new Date()): Promise<BillingOverview> {
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  return asUser(userId, async (tx) => {
    const r = await tx.query<Row>(
      `select m.role, t.plan, t.overage_hard_cap, u.calls, u.overage
         from public.team_members m join public.teams t on t.id = m.team_id
         left join public.team_usage u on u.team_id = t.id and u.month = $2::date
        where m.team_id = $1 and m.user_id = auth.uid()`,
      [teamId, month],
    );
    const row = r.rows[0];
    if (!row) throw new AppError("not_found", "You are not a member of that team.");
    const plan = getPlan(row.plan);
    const overage = row.overage ?? 0;
    const out: BillingOverview = {
      role: row.role,
      stripeEnabled: Boolean(env().STRIPE_SECRET_KEY),
      plan: { id: plan.id, name: plan.name, overageAllowed: plan.overageAllowed },
      quota: { limit: plan.monthlyCalls, used: row.calls ?? 0, overage, resetsAt: quotaResetsAt(now).toISOString() },
      billing: null,
    };
    if (row.role === "member") return out;
    const b = (await tx.query<BillingRow>("select subscribed_plan, status, trial_end, current_period_end, cancel_at_period_end, past_due_since from public.team_billing where team_id = $1", [teamId])).rows[0];
    const reported = await tx.query<{ n: number | null }>(
      "select sum(value)::int as n from public.billing_overage_outbox where team_id = $1 and status = 'reported' and minute >= $2::date",
      [teamId, month],
    );
    const grace = env().BILLING_GRACE_DAYS;
    out.billing = {
      hasCustomer: Boolean(b),
      subscribedPlan: b?.subscribed_plan ?? null,
      status: b?.status ?? null,
      trialEnd: iso(b?.trial_end ?? null),
      trialDaysLeft: b?.status === "trialing" ? daysLeft(b.trial_end, now) : 0,
      currentPeriodEnd: iso(b?.current_period_end ?? null),
      cancelAtPeriodEnd: b?.cancel_at_period_end ?? false,
      pastDueSince: iso(b?.past_due_since ?? null),
      graceEndsAt: b?.past_due_since ? new Date(new Date(b.past_due_since).getTime() + grace * 86_400_000).toISOString() : null,
      reportedOverage: reported.rows[0]?.n ?? 0,
      estimatedOverageCents: overageCostCents(b?.subscribed_plan ?? plan.id, overage),
      hardCap: row.overage_hard_cap,
    };
    return out;
  });
}

/**
 * The owner's overage hard cap: null = unlimited overage, 0 = refuse every call past the quota,
 * n = at most n overage calls a month. Enforced by verify_api_call. 403 for anyone but the owner.
 */
export async function setHardCap(userId: string, teamId: string, cap: number | null): Promise<void> {
  await asUser(userId, async (tx) => {
    const r = await tx.query("update public.teams set overage_hard_cap = $2 where id = $1 returning id", [teamId, cap]);
    if (r.rows.length === 0) throw new AppError("forbidden", "Only the team's owner sets the hard cap.");
  });
}
