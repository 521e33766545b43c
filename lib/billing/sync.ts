// No "server-only": the worker script re-evaluates grace periods with it.
import type { Database, Queryable } from "@/lib/db/types";
import type { PlanId } from "@/lib/plans";
import { applyPlanOn } from "@/lib/teams/apply-plan";
import { effectivePlan, isUnpaidStatus, type SubscriptionSnapshot, type SubscriptionStatus } from "./state";
import { onSubscriptionChanged, subscriptionDiffers, type SubscriptionState } from "./subscription-changed";

export interface TeamBillingRow {
  team_id: string;
  stripe_customer_id: string;
  stripe_subscription_id: string | null;
  subscribed_plan: PlanId | null;
  status: SubscriptionStatus | null;
  trial_end: Date | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  past_due_since: Date | null;
}

async function planOf(tx: Queryable, teamId: string): Promise<PlanId> {
  const r = await tx.query<{ plan: PlanId }>("select plan from public.teams where id = $1", [teamId]);
  return r.rows[0]?.plan ?? "free";
}

/** Writes one row to the billing log. `detail` must never hold a secret. */
export async function logBillingEvent(
  tx: Queryable,
  e: { teamId: string | null; kind: string; stripeEventId?: string; outboxId?: number; identifier?: string; value?: number; attempt?: number; detail?: Record<string, unknown> },
): Promise<void> {
  await tx.query(
    `insert into public.billing_events (team_id, kind, stripe_event_id, outbox_id, identifier, value, attempt, detail)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [e.teamId, e.kind, e.stripeEventId ?? null, e.outboxId ?? null, e.identifier ?? null, e.value ?? null, e.attempt ?? null, JSON.stringify(e.detail ?? {})],
  );
}

/** The team's billing row locked for this transaction (serialises webhooks per team). */
export async function lockBillingByCustomer(tx: Queryable, customerId: string): Promise<TeamBillingRow | null> {
  const r = await tx.query<TeamBillingRow>("select * from public.team_billing where stripe_customer_id = $1 for update", [customerId]);
  return r.rows[0] ?? null;
}

const TERMINAL: readonly SubscriptionStatus[] = ["canceled", "incomplete_expired"];

/**
 * Whether a snapshot of subscription `snap` may replace the team's stored one. A team re-subscribing
 * gets a new subscription id; a late event about its old, ended subscription must not undo that.
 */
export function mayReplace(stored: TeamBillingRow, snap: SubscriptionSnapshot): boolean {
  if (!stored.stripe_subscription_id || stored.stripe_subscription_id === snap.subscriptionId) return true;
  if (stored.status && TERMINAL.includes(stored.status)) return true;
  return !TERMINAL.includes(snap.status);
}

/**
 * Stores the subscription as Stripe reports it now and sets the team's effective plan (see
 * `effectivePlan`). Runs inside the caller's transaction with the billing row locked; calls
 * `onSubscriptionChanged` in it when the plan in force or the status changed.
 * Returns the effective plan and whether it changed.
 */
export async function applySnapshot(
  tx: Queryable,
  stored: TeamBillingRow,
  snap: SubscriptionSnapshot,
  opts: { now: Date; graceDays: number; stripeEventId?: string },
): Promise<{ plan: PlanId; changed: boolean }> {
  const previous: SubscriptionState = { plan: await planOf(tx, stored.team_id), status: stored.status ?? "free" };
  const pastDueSince = isUnpaidStatus(snap.status) ? (stored.past_due_since && isUnpaidStatus(stored.status) ? stored.past_due_since : opts.now) : null;
  await tx.query(
    `update public.team_billing set stripe_subscription_id = $2, subscribed_plan = $3, status = $4, trial_end = $5,
            current_period_end = $6, cancel_at_period_end = $7, past_due_since = $8, synced_at = $9, updated_at = now()
      where team_id = $1`,
    [stored.team_id, snap.subscriptionId, snap.plan, snap.status, snap.trialEnd, snap.currentPeriodEnd, snap.cancelAtPeriodEnd, pastDueSince, opts.now],
  );
  const plan = effectivePlan(
    { subscribedPlan: snap.plan, status: snap.status, pastDueSince, cancelAtPeriodEnd: snap.cancelAtPeriodEnd, currentPeriodEnd: snap.currentPeriodEnd },
    opts.now,
    opts.graceDays,
  );
  const changed = await applyPlanOn(tx, stored.team_id, plan);
  await logBillingEvent(tx, {
    teamId: stored.team_id,
    kind: "subscription.synced",
    stripeEventId: opts.stripeEventId,
    detail: { subscription: snap.subscriptionId, status: snap.status, subscribed_plan: snap.plan, effective_plan: plan, cancel_at_period_end: snap.cancelAtPeriodEnd },
  });
  if (changed) await logBillingEvent(tx, { teamId: stored.team_id, kind: "plan.changed", stripeEventId: opts.stripeEventId, detail: { plan } });
  const now: SubscriptionState = { plan, status: snap.status };
  if (subscriptionDiffers(now, previous)) await onSubscriptionChanged(tx, stored.team_id, now, previous);
  return { plan, changed };
}

/**
 * Time-driven transitions no webhook announces: a past_due team's grace period running out, a
 * subscription set to cancel reaching its period end. Idempotent; run by the maintenance loop.
 * Returns how many teams changed plan.
 */
export async function reevaluateBilling(db: Database, opts: { now?: Date; graceDays: number }): Promise<number> {
  const now = opts.now ?? new Date();
  const candidates = await db.query<{ team_id: string }>(
    "select team_id from public.team_billing where status in ('past_due', 'unpaid') or cancel_at_period_end",
  );
  let changed = 0;
  for (const { team_id } of candidates.rows) {
    const did = await db.transaction(async (tx) => {
      const r = await tx.query<TeamBillingRow>("select * from public.team_billing where team_id = $1 for update", [team_id]);
      const s = r.rows[0];
      if (!s) return false;
      const plan = effectivePlan(
        { subscribedPlan: s.subscribed_plan, status: s.status, pastDueSince: s.past_due_since, cancelAtPeriodEnd: s.cancel_at_period_end, currentPeriodEnd: s.current_period_end },
        now,
        opts.graceDays,
      );
      const before = await planOf(tx, team_id);
      const c = await applyPlanOn(tx, team_id, plan);
      if (c) {
        await logBillingEvent(tx, { teamId: team_id, kind: "plan.changed", detail: { plan, reason: isUnpaidStatus(s.status) ? "grace_period_ended" : "period_ended" } });
        const status = s.status ?? "free";
        await onSubscriptionChanged(tx, team_id, { plan, status }, { plan: before, status });
      }
      return c;
    });
    if (did) changed++;
  }
  return changed;
}
