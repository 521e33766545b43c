// `npm run stripe:standin`: the local Stripe stand-in (see stripe-standin/server.ts). Listens on
// STRIPE_STANDIN_PORT (default 12111) and posts webhooks to STRIPE_WEBHOOK_URL, or
// the portal's origin (APP_URL, else http://localhost:$PORT) + /api/stripe/webhook, signed with
// STRIPE_WEBHOOK_SECRET.
import { env } from "@/lib/env";
import { siteOrigin } from "@/lib/site-url";
import { startStripeStandin } from "@/stripe-standin/server";
import { loadPortalEnv } from "./seed-support";

// The .env files as the portal reads them, so the webhooks go to the portal's own origin
// (APP_URL, else its PORT), wherever those are kept.
loadPortalEnv();

async function main() {
  const e = env();
  if (!e.STRIPE_WEBHOOK_SECRET) {
    console.error("Set STRIPE_WEBHOOK_SECRET (any whsec_… value; the app must use the same one).");
    process.exit(1);
  }
  const webhookUrl = e.STRIPE_WEBHOOK_URL ?? `${siteOrigin(e)}/api/stripe/webhook`;
  const s = await startStripeStandin({ port: e.STRIPE_STANDIN_PORT, webhookSecret: e.STRIPE_WEBHOOK_SECRET, webhookUrl, deliveryDelayMs: e.STRIPE_STANDIN_DELIVERY_DELAY_MS });
  console.log(`Stripe stand-in on ${s.url}; webhooks to ${webhookUrl}`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
