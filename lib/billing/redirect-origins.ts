// No "server-only": proxy.ts builds each page's CSP with it.
import type { Env } from "@/lib/env";

/** Where Stripe hosts Checkout and the customer portal (no custom domain configured). */
export const STRIPE_HOSTED_ORIGINS = ["https://checkout.stripe.com", "https://billing.stripe.com"] as const;

/**
 * The origins the billing page's Upgrade and Manage billing forms are redirected to (303 from
 * /api/billing/checkout and /api/billing/portal), for the pages' CSP `form-action`: Chromium
 * refuses a form POST's redirect to an origin form-action does not list.
 * - Stripe off (no STRIPE_SECRET_KEY): none.
 * - STRIPE_API_BASE set (the local stand-in): its origin, where it serves its Checkout and portal pages.
 * - Otherwise Stripe's hosted pages, `STRIPE_HOSTED_ORIGINS`.
 */
export function stripeRedirectOrigins(e: Pick<Env, "STRIPE_SECRET_KEY" | "STRIPE_API_BASE">): string[] {
  if (!e.STRIPE_SECRET_KEY) return [];
  if (e.STRIPE_API_BASE) return [new URL(e.STRIPE_API_BASE).origin];
  return [...STRIPE_HOSTED_ORIGINS];
}
