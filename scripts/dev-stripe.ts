// `npm run dev:stripe`: the portal wired to the local Stripe stand-in, with no Stripe account.
// Starts the stand-in (STRIPE_STANDIN_PORT, default 12111; 0 = any free port), creates the
// meter, products and prices in it (the same code as `npm run stripe:setup`), then runs the
// portal (`node server.mjs --dev`, or the production build with --prod) with STRIPE_SECRET_KEY,
// STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE pointing at it. The stand-in's state is kept in
// $LLAVERO_DATA_DIR.stripe-standin.json, so a restart remembers the customers the portal stored.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setupStripeCatalog } from "@/lib/billing/setup";
import { createStripe } from "@/lib/billing/stripe-client";
import { env } from "@/lib/env";
import { startStripeStandin } from "@/stripe-standin/server";

for (const file of [".env.local", ".env"]) {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

const STANDIN_KEY = "sk_test_llavero_standin";

async function main() {
  const e = env();
  const prod = process.argv.includes("--prod");
  const port = Number(process.env.PORT ?? 3000);
  const appUrl = e.APP_URL ?? `http://localhost:${port}`;
  const secret = e.STRIPE_WEBHOOK_SECRET ?? "whsec_llavero_local_standin";
  const webhookUrl = e.STRIPE_WEBHOOK_URL ?? `${appUrl}/api/stripe/webhook`;
  // Beside the embedded database, so the stand-in remembers the customers the portal stored.
  const stateFile = `${e.LLAVERO_DATA_DIR.replace(/\/+$/, "")}.stripe-standin.json`;
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  const standin = await startStripeStandin({ port: e.STRIPE_STANDIN_PORT, webhookSecret: secret, webhookUrl, deliveryDelayMs: e.STRIPE_STANDIN_DELIVERY_DELAY_MS, stateFile });
  await setupStripeCatalog(createStripe({ secretKey: STANDIN_KEY, apiBase: standin.url }));
  console.log(`Stripe stand-in on ${standin.url} (webhooks to ${webhookUrl}; state in ${stateFile}); catalog ready`);

  const child = spawn(process.execPath, prod ? ["server.mjs"] : ["server.mjs", "--dev"], {
    stdio: "inherit",
    env: {
      ...process.env,
      PORT: String(port),
      APP_URL: appUrl,
      STRIPE_SECRET_KEY: STANDIN_KEY,
      STRIPE_WEBHOOK_SECRET: secret,
      STRIPE_API_BASE: standin.url,
      ...(prod ? { NODE_ENV: "production" } : {}),
    },
  });
  const stop = (sig: NodeJS.Signals) => child.kill(sig);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => {
    void standin.close().then(() => process.exit(code ?? 0));
  });
}

main().catch((err: unknown) => {
  console.error(`dev:stripe failed: ${(err as Error).message}`);
  process.exit(1);
});
