// No "server-only": called from the webhook handler and the worker's maintenance loop.
import type { Queryable } from "@/lib/db/types";
import type { PlanId } from "@/lib/plans";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import type { SubscriptionStatus } from "./state";

/** The team's subscription as its own apps see it: the plan in force and Stripe's status (`free`: none). */
export interface SubscriptionState {
  plan: PlanId;
  status: SubscriptionStatus | "free";
}

/**
 * THE point where a team's subscription changes: called once per change of the plan in force or
 * of the subscription status, inside the transaction that applies it (a webhook's, or the
 * maintenance loop's when a grace period or a cancelled period ends), after the change is written.
 * If that transaction rolls back, nothing here happened either.
 *
 * It records a `subscription.changed` row in billing_events and emits the `subscription.updated`
 * webhook, both in that transaction.
 */
export async function onSubscriptionChanged(tx: Queryable, teamId: string, now: SubscriptionState, previous: SubscriptionState): Promise<void> {
  await tx.query(
    "insert into public.billing_events (team_id, kind, detail) values ($1, 'subscription.changed', $2::jsonb)",
    [teamId, JSON.stringify({ plan: now.plan, status: now.status, previous })],
  );
  await emitWebhookEvent(tx, teamId, "subscription.updated", { plan: now.plan, status: now.status });
}

/** Whether `now` differs from `previous` in plan or status (a re-sync of the same state is no change). */
export function subscriptionDiffers(now: SubscriptionState, previous: SubscriptionState): boolean {
  return now.plan !== previous.plan || now.status !== previous.status;
}
