// No "server-only": integration tests drive it directly as well as through the route.
import type Stripe from "stripe";
import type { Database } from "@/lib/db/types";
import { snapshotFromSubscription } from "./state";
import { applySnapshot, lockBillingByCustomer, logBillingEvent, mayReplace } from "./sync";

export const HANDLED_EVENTS = [
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
] as const;

export type WebhookResult =
  | { status: 400; reason: "bad_signature" }
  | { status: 200; outcome: "applied" | "duplicate" | "ignored"; reason?: string };

export interface WebhookDeps {
  db: Database;
  stripe: Stripe;
  webhookSecret: string;
  graceDays: number;
  now?: () => Date;
  log?: (message: string) => void;
}

/**
 * The SDK error's class name. Compared by name, not instanceof: a bundler may load the SDK's CJS
 * and ESM builds side by side, and an error from one is not an instance of the other's class.
 */
function stripeErrorType(err: unknown): string | undefined {
  const t = (err as { type?: unknown } | null)?.type;
  return typeof t === "string" ? t : undefined;
}

type Refs = { customerId: string | null; subscriptionId: string | null };

const idOf = (v: unknown): string | null => (typeof v === "string" ? v : v && typeof v === "object" && "id" in v && typeof v.id === "string" ? v.id : null);

/** Which customer and subscription an event is about (null for types we do not handle). */
export function eventRefs(event: Stripe.Event): Refs | null {
  const o = event.data.object as unknown as Record<string, unknown>;
  switch (event.type) {
    case "checkout.session.completed":
      return { customerId: idOf(o.customer), subscriptionId: idOf(o.subscription) };
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return { customerId: idOf(o.customer), subscriptionId: idOf(o.id) };
    case "invoice.paid":
    case "invoice.payment_failed": {
      // Since API 2025-03-31 an invoice names its subscription under parent.subscription_details.
      const parent = o.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
      return { customerId: idOf(o.customer), subscriptionId: idOf(parent?.subscription_details?.subscription) ?? idOf(o.subscription) };
    }
    default:
      return null;
  }
}

/**
 * POST /api/stripe/webhook's work. Verifies the signature on the raw body (400 when bad or
 * older than 300 s), applies each event.id once, and for every handled type re-reads the
 * subscription from Stripe and applies its current state, so arrival order does not matter.
 * Events about customers or subscriptions Llavero (or Stripe) does not know are recorded as
 * ignored and answered 200. Throws only on our own failure (database, Stripe unreachable): the
 * route answers 500 and Stripe retries; nothing is recorded then.
 */
export async function handleStripeWebhook(deps: WebhookDeps, rawBody: string, signature: string | null): Promise<WebhookResult> {
  const log = deps.log ?? ((m: string) => console.error(`[stripe webhook] ${m}`));
  let event: Stripe.Event;
  try {
    event = deps.stripe.webhooks.constructEvent(rawBody, signature ?? "", deps.webhookSecret, 300);
  } catch (err) {
    if (stripeErrorType(err) === "StripeSignatureVerificationError") return { status: 400, reason: "bad_signature" };
    throw err;
  }
  const refs = eventRefs(event);
  const now = (deps.now ?? (() => new Date()))();

  const fetchSubscription = async (id: string): Promise<Stripe.Subscription | null> => {
    try {
      return await deps.stripe.subscriptions.retrieve(id);
    } catch (err) {
      if (stripeErrorType(err) === "StripeInvalidRequestError" && (err as { statusCode?: number }).statusCode === 404) return null;
      throw err;
    }
  };
  // Stripe is read before the transaction opens: on the embedded database a transaction holds
  // the only connection, and a Stripe round trip inside it would stall every other request. The
  // billing row's version tells whether another event was applied meanwhile; only then is the
  // subscription read again, inside the transaction, so the last writer always applies Stripe's
  // latest state.
  let early: { version: string; sub: Stripe.Subscription | null } | null = null;
  if (refs?.customerId && refs.subscriptionId) {
    const seen = await deps.db.query("select 1 from public.stripe_events where id = $1", [event.id]);
    if (seen.rows.length) return { status: 200, outcome: "duplicate" };
    const v = await deps.db.query<{ v: string }>("select updated_at::text as v from public.team_billing where stripe_customer_id = $1", [refs.customerId]);
    if (v.rows[0]) early = { version: v.rows[0].v, sub: await fetchSubscription(refs.subscriptionId) };
  }

  return deps.db.transaction(async (tx) => {
    // First, so a concurrent duplicate waits on this row and then sees the conflict.
    const fresh = await tx.query("insert into public.stripe_events (id, type, outcome) values ($1, $2, 'ignored') on conflict (id) do nothing returning id", [event.id, event.type]);
    if (fresh.rows.length === 0) return { status: 200, outcome: "duplicate" } as const;
    const ignore = async (reason: string, teamId: string | null = null) => {
      if (reason !== "unhandled_type") log(`event ${event.id} (${event.type}) ignored: ${reason}`);
      if (teamId) await tx.query("update public.stripe_events set team_id = $2 where id = $1", [event.id, teamId]);
      return { status: 200, outcome: "ignored", reason } as const;
    };
    if (!refs) return ignore("unhandled_type");
    if (!refs.customerId) return ignore("no_customer");
    const stored = await lockBillingByCustomer(tx, refs.customerId);
    if (!stored) return ignore("unknown_customer");
    if (!refs.subscriptionId) return ignore("no_subscription", stored.team_id);

    const version = (await tx.query<{ v: string }>("select updated_at::text as v from public.team_billing where team_id = $1", [stored.team_id])).rows[0]?.v;
    const sub = early && early.version === version ? early.sub : await fetchSubscription(refs.subscriptionId);
    if (!sub) return ignore("unknown_subscription", stored.team_id);
    const snap = snapshotFromSubscription(sub);
    if (snap.customerId !== stored.stripe_customer_id) return ignore("subscription_of_another_customer", stored.team_id);
    if (!mayReplace(stored, snap)) return ignore("superseded_subscription", stored.team_id);

    await applySnapshot(tx, stored, snap, { now, graceDays: deps.graceDays, stripeEventId: event.id });
    await tx.query("update public.stripe_events set outcome = 'applied', team_id = $2 where id = $1", [event.id, stored.team_id]);
    if (event.type === "invoice.payment_failed" || event.type === "invoice.paid") {
      await logBillingEvent(tx, { teamId: stored.team_id, kind: event.type, stripeEventId: event.id });
    }
    return { status: 200, outcome: "applied" } as const;
  });
}
