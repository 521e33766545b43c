// `npm run stripe:setup`: creates the meter, products and prices Llavero sells, in the Stripe
// account of STRIPE_SECRET_KEY (or the stand-in at STRIPE_API_BASE). Safe to run again.
import fs from "node:fs";
import { setupStripeCatalog } from "@/lib/billing/setup";
import { stripeFromEnv } from "@/lib/billing/stripe-client";

for (const file of [".env.local", ".env"]) {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

async function main() {
  const stripe = stripeFromEnv();
  if (!stripe) {
    console.error("Set STRIPE_SECRET_KEY (and STRIPE_API_BASE for the local stand-in).");
    process.exit(1);
  }
  const r = await setupStripeCatalog(stripe);
  console.log(`meter ${r.meter.id} ${r.meter.created ? "created" : "already there"}`);
  for (const p of r.prices) console.log(`price ${p.lookupKey} ${p.id} ${p.created ? "created" : "already there"}`);
}

main().catch((err: unknown) => {
  console.error(`stripe:setup failed: ${(err as Error).message}`);
  process.exit(1);
});
