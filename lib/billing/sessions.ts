import "server-only";
import type Stripe from "stripe";
import { getDb } from "@/lib/db";
import { asUser } from "@/lib/db/as-user";
import { AppError } from "@/lib/errors";
import type { PlanId } from "@/lib/plans";
import { absoluteUrl } from "@/lib/site-url";
import { catalogFor } from "./catalog";
import { logBillingEvent } from "./sync";

const LIVE_STATUSES = ["trialing", "active", "past_due", "unpaid", "incomplete", "paused"];

/**
 * Throws AppError not_found (not a member) or forbidden (an admin or member) unless `userId` owns
 * `teamId`. The Checkout and portal routes call it before anything else, so a non-owner gets 403
 * whether or not Stripe is configured.
 */
export async function requireBillingOwner(userId: string, teamId: string): Promise<void> {
  const role = await asUser(userId, async (tx) => {
    const r = await tx.query<{ role: string }>("select role from public.team_members where team_id = $1 and user_id = auth.uid()", [teamId]);
    return r.rows[0]?.role;
  });
  if (role === undefined) throw new AppError("not_found", "You are not a member of that team.");
  if (role !== "owner") throw new AppError("forbidden", "Only the team's owner manages billing.");
}

/**
 * The team's Stripe customer id, created on first use. The idempotency key makes two
 * simultaneous first clicks create one customer; the row's unique team key keeps one mapping.
 */
async function ensureCustomer(stripe: Stripe, teamId: string, email: string): Promise<string> {
  const db = await getDb();
  const found = await db.query<{ stripe_customer_id: string }>("select stripe_customer_id from public.team_billing where team_id = $1", [teamId]);
  if (found.rows[0]) return found.rows[0].stripe_customer_id;
  const team = await db.query<{ name: string }>("select name from public.teams where id = $1", [teamId]);
  const customer = await stripe.customers.create({ email, name: team.rows[0]?.name, metadata: { team_id: teamId } }, { idempotencyKey: `llavero-customer-${teamId}` });
  await db.transaction(async (tx) => {
    const r = await tx.query("insert into public.team_billing (team_id, stripe_customer_id) values ($1, $2) on conflict (team_id) do nothing returning team_id", [teamId, customer.id]);
    if (r.rows.length) await logBillingEvent(tx, { teamId, kind: "customer.created", detail: { customer: customer.id } });
  });
  const again = await db.query<{ stripe_customer_id: string }>("select stripe_customer_id from public.team_billing where team_id = $1", [teamId]);
  return again.rows[0]!.stripe_customer_id;
}

export interface SessionRequest {
  stripe: Stripe;
  userId: string;
  email: string;
  teamId: string;
}

/**
 * A Stripe Checkout session for a paid plan (Pro with its 15-day trial), owner only. Returns the
 * URL to redirect to; Stripe sends the person back to APP_URL (`absoluteUrl`). Errors: 403 forbidden (not the owner), 409 conflict (the team already has
 * a live subscription: plan changes go through the portal), 400 for the Free plan.
 */
export async function startCheckout(req: SessionRequest & { plan: PlanId }): Promise<string> {
  await requireBillingOwner(req.userId, req.teamId);
  const cat = catalogFor(req.plan);
  if (!cat) throw new AppError("invalid_request", "Choose Pro or Business.");
  const db = await getDb();
  const live = await db.query("select 1 from public.team_billing where team_id = $1 and status = any($2::text[])", [req.teamId, LIVE_STATUSES]);
  if (live.rows.length) throw new AppError("conflict", "The team already has a subscription: change it with Manage billing.");
  const customer = await ensureCustomer(req.stripe, req.teamId, req.email);
  const prices = await req.stripe.prices.list({ lookup_keys: [cat.baseLookupKey, cat.overageLookupKey], limit: 10 });
  const base = prices.data.find((p) => p.lookup_key === cat.baseLookupKey);
  const overage = prices.data.find((p) => p.lookup_key === cat.overageLookupKey);
  if (!base || !overage) throw new Error(`Stripe has no price with lookup key ${cat.baseLookupKey} or ${cat.overageLookupKey}: run npm run stripe:setup.`);
  const trialDays = req.plan === "pro" ? 15 : 0;
  const session = await req.stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: req.teamId,
    metadata: { team_id: req.teamId, plan: req.plan },
    // Metered prices take no quantity.
    line_items: [{ price: base.id, quantity: 1 }, { price: overage.id }],
    subscription_data: { metadata: { team_id: req.teamId }, ...(trialDays ? { trial_period_days: trialDays } : {}) },
    success_url: absoluteUrl("/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}"),
    cancel_url: absoluteUrl("/billing?checkout=canceled"),
  });
  await db.transaction((tx) => logBillingEvent(tx, { teamId: req.teamId, kind: "checkout.started", detail: { plan: req.plan, session: session.id } }));
  if (!session.url) throw new Error("Stripe returned a Checkout session without a URL.");
  return session.url;
}

/** A fresh customer-portal session (one per click), owner only; 409 when the team has no Stripe customer yet. */
export async function startPortal(req: Omit<SessionRequest, "email">): Promise<string> {
  await requireBillingOwner(req.userId, req.teamId);
  const db = await getDb();
  const r = await db.query<{ stripe_customer_id: string }>("select stripe_customer_id from public.team_billing where team_id = $1", [req.teamId]);
  if (!r.rows[0]) throw new AppError("conflict", "There is nothing to manage yet: upgrade first.");
  const session = await req.stripe.billingPortal.sessions.create({ customer: r.rows[0].stripe_customer_id, return_url: absoluteUrl("/billing") });
  await db.transaction((tx) => logBillingEvent(tx, { teamId: req.teamId, kind: "portal.opened" }));
  return session.url;
}
