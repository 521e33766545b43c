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
  webServer: {
    command: `rm -rf .data/e2e-stripe .data/e2e-stripe.lock .data/e2e-stripe.stripe-standin.json && npx tsx scripts/dev-stripe.ts --prod`,
    url: `http://localhost:${PORT}/sign-in`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(PORT), LLAVERO_DATA_DIR: ".data/e2e-stripe", NODE_ENV: "production", STRIPE_STANDIN_PORT: "0", STRIPE_STANDIN_DELIVERY_DELAY_MS: "2000", APP_URL: `http://localhost:${PORT}` },
    stdout: "pipe",
    stderr: "pipe",
  },
});
