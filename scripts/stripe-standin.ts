// `npm run stripe:standin`: the local Stripe stand-in (see stripe-standin/server.ts). Listens on
// STRIPE_STANDIN_PORT (default 12111) and posts webhooks to STRIPE_WEBHOOK_URL, or
// $APP_URL/api/stripe/webhook, signed with STRIPE_WEBHOOK_SECRET.
import fs from "node:fs";
import { env } from "@/lib/env";
import { startStripeStandin } from "@/stripe-standin/server";

for (const file of [".env.local", ".env"]) {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

async function main() {
  const e = env();
  if (!e.STRIPE_WEBHOOK_SECRET) {
    console.error("Set STRIPE_WEBHOOK_SECRET (any whsec_… value; the app must use the same one).");
    process.exit(1);
  }
  const webhookUrl = e.STRIPE_WEBHOOK_URL ?? `${e.APP_URL ?? "http://localhost:3000"}/api/stripe/webhook`;
  const s = await startStripeStandin({ port: e.STRIPE_STANDIN_PORT, webhookSecret: e.STRIPE_WEBHOOK_SECRET, webhookUrl, deliveryDelayMs: e.STRIPE_STANDIN_DELIVERY_DELAY_MS });
  console.log(`Stripe stand-in on ${s.url}; webhooks to ${webhookUrl}`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
