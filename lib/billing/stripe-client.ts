// No "server-only": the worker script (outside Next) reports overage with it. It only ever runs
// on the server; nothing in components/ imports it.
import Stripe from "stripe";
import { env } from "@/lib/env";

export interface StripeOptions {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111 for the stand-in; unset = api.stripe.com. */
  apiBase?: string;
}

/**
 * The real SDK. No automatic retries: webhook handling answers 500 so Stripe retries, and the
 * overage outbox keeps its own durable retry schedule (each attempt a billing_events row).
 */
export function createStripe(opts: StripeOptions): Stripe {
  const config: ConstructorParameters<typeof Stripe>[1] = { maxNetworkRetries: 0, timeout: 20_000, appInfo: { name: "Llavero" } };
  if (opts.apiBase) {
    const u = new URL(opts.apiBase);
    config.host = u.hostname;
    config.port = u.port || (u.protocol === "https:" ? 443 : 80);
    config.protocol = u.protocol === "https:" ? "https" : "http";
  }
  return new Stripe(opts.secretKey, config);
}

const holder = globalThis as unknown as { __llaveroStripe?: { key: string; base?: string; client: Stripe } };

/** The app's client from STRIPE_SECRET_KEY / STRIPE_API_BASE; null when Stripe is not configured. */
export function stripeFromEnv(): Stripe | null {
  const e = env();
  if (!e.STRIPE_SECRET_KEY) return null;
  const h = holder.__llaveroStripe;
  if (h && h.key === e.STRIPE_SECRET_KEY && h.base === e.STRIPE_API_BASE) return h.client;
  const client = createStripe({ secretKey: e.STRIPE_SECRET_KEY, apiBase: e.STRIPE_API_BASE });
  holder.__llaveroStripe = { key: e.STRIPE_SECRET_KEY, base: e.STRIPE_API_BASE, client };
  return client;
}

/** For tests: forget the cached client after changing the environment. */
export function resetStripeClient(): void {
  holder.__llaveroStripe = undefined;
}
