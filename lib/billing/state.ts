import type Stripe from "stripe";
import type { PlanId } from "@/lib/plans";
import { planForLookupKey } from "./catalog";

export const SUBSCRIPTION_STATUSES = ["trialing", "active", "past_due", "canceled", "unpaid", "incomplete", "incomplete_expired", "paused"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** What Llavero keeps of a Stripe subscription (times as Dates; Stripe sends Unix seconds). */
export interface SubscriptionSnapshot {
  subscriptionId: string;
  customerId: string;
  /** From the base price's lookup key; null if the subscription sells nothing we know. */
  plan: Exclude<PlanId, "free"> | null;
  status: SubscriptionStatus;
  trialEnd: Date | null;
  /** Since API 2025-03-31 the period lives on subscription items: the earliest item's end. */
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

const fromUnix = (s: number | null | undefined) => (typeof s === "number" ? new Date(s * 1000) : null);

export function snapshotFromSubscription(sub: Stripe.Subscription): SubscriptionSnapshot {
  const items = sub.items?.data ?? [];
  const plan = items.map((i) => planForLookupKey(i.price?.lookup_key)).find((p) => p !== null) ?? null;
  const ends = items.map((i) => i.current_period_end).filter((n): n is number => typeof n === "number");
  const status = (SUBSCRIPTION_STATUSES as readonly string[]).includes(sub.status) ? (sub.status as SubscriptionStatus) : "incomplete";
  return {
    subscriptionId: sub.id,
    customerId: typeof sub.customer === "string" ? sub.customer : sub.customer.id,
    plan,
    status,
    trialEnd: fromUnix(sub.trial_end),
    currentPeriodEnd: ends.length ? fromUnix(Math.min(...ends)) : null,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
  };
}

export interface BillingState {
  subscribedPlan: PlanId | null;
  status: SubscriptionStatus | null;
  pastDueSince: Date | null;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
}

export const isUnpaidStatus = (s: SubscriptionStatus | null) => s === "past_due" || s === "unpaid";

/**
 * The plan whose limits the team gets now:
 * - trialing / active: the subscribed plan (also while cancel_at_period_end, until the period ends);
 * - past_due / unpaid: the subscribed plan during `graceDays` from `pastDueSince`, Free after;
 * - canceled, incomplete, incomplete_expired, paused, or no subscription: Free.
 */
export function effectivePlan(s: BillingState, now: Date, graceDays: number): PlanId {
  if (!s.subscribedPlan || !s.status) return "free";
  if (s.cancelAtPeriodEnd && s.currentPeriodEnd && s.currentPeriodEnd.getTime() <= now.getTime()) return "free";
  if (s.status === "trialing" || s.status === "active") return s.subscribedPlan;
  if (isUnpaidStatus(s.status)) {
    const since = s.pastDueSince ?? now;
    return now.getTime() - since.getTime() < graceDays * 86_400_000 ? s.subscribedPlan : "free";
  }
  return "free";
}

/** Whole days left before `end`, rounded up (a trial ending in 14.2 days has 15 days left); 0 once passed. */
export function daysLeft(end: Date | null, now: Date): number {
  if (!end) return 0;
  return Math.max(0, Math.ceil((end.getTime() - now.getTime()) / 86_400_000));
}
