import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * The billing flow against the Stripe stand-in: the same browser settings as the main suite,
 * but the portal runs through `scripts/dev-stripe.ts --prod` (stand-in on a free port, catalog
 * created, STRIPE_* set). A separate run because the main suite's server has no Stripe, which
 * its development-mode test needs. Same E2E_PORT: `npm test` runs the two one after the other.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  ...base,
  testMatch: "billing-stripe.spec.ts",
  testIgnore: [],
  // Stops the server, then looks for secrets in this run's database and server log.
  globalTeardown: "./e2e/secrets-sweep-stripe.ts",
  webServer: {
    command:
      "rm -rf .data/e2e-stripe .data/e2e-stripe.lock .data/e2e-stripe.stripe-standin.json .data/e2e-stripe-server.log .data/e2e-observed-secrets.txt && mkdir -p .data && npx tsx scripts/dev-stripe.ts --prod 2>&1 | tee .data/e2e-stripe-server.log",
    url: `http://localhost:${PORT}/sign-in`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(PORT), LLAVERO_DATA_DIR: ".data/e2e-stripe", NODE_ENV: "production", STRIPE_STANDIN_PORT: "0", STRIPE_STANDIN_DELIVERY_DELAY_MS: "2000", APP_URL: `http://localhost:${PORT}`, SIGN_UP_LIMIT_PER_IP_PER_HOUR: "10000" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
