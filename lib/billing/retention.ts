// No "server-only": the maintenance loop runs in scripts/worker.ts too.
import type { Database } from "@/lib/db/types";

/**
 * Stripe retries an undelivered event for up to 3 days, so an event id only needs remembering
 * (for dedupe) a little longer than that; 30 days leaves room for a manual resend.
 */
export const STRIPE_EVENT_RETENTION_DAYS = 30;
/** The billing log (sessions, syncs, plan changes, meter reports) is kept 13 months, past a yearly invoice dispute. */
export const BILLING_EVENT_RETENTION_DAYS = 400;

const DAY_MS = 86_400_000;

/**
 * Deletes stripe_events older than STRIPE_EVENT_RETENTION_DAYS and billing_events older than
 * BILLING_EVENT_RETENTION_DAYS (indexed on their times; migration 20261130000202). Overage outbox
 * rows and marks are not touched: they hold what was reported for the month.
 * Returns the number of rows deleted from each table.
 */
export async function purgeBillingHistory(db: Database, now = new Date()): Promise<{ stripeEvents: number; billingEvents: number }> {
  const events = await db.query<{ id: string }>("delete from public.stripe_events where received_at < $1 returning id", [new Date(now.getTime() - STRIPE_EVENT_RETENTION_DAYS * DAY_MS)]);
  const log = await db.query<{ id: number }>("delete from public.billing_events where created_at < $1 returning id", [new Date(now.getTime() - BILLING_EVENT_RETENTION_DAYS * DAY_MS)]);
  return { stripeEvents: events.rows.length, billingEvents: log.rows.length };
}
