import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  // Runs under playwright.stripe.config.ts, against a portal wired to the Stripe stand-in.
  testIgnore: "billing-stripe.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // After the suite: stop the server, then look for secrets in its database and its log.
  globalTeardown: "./e2e/secrets-sweep.ts",
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      // Without the networking flags Chromium keeps dialling Google's services, which this
      // closed network refuses many times a second.
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // A fresh embedded database per run, on the production build (npm test builds first). The
    // server's output is also kept in a file for the secrets sweep (e2e/secrets-sweep.ts).
    command: `rm -rf .data/e2e .data/e2e.lock .data/e2e-server.log .data/e2e-observed-secrets.txt && mkdir -p .data && node server.mjs 2>&1 | tee .data/e2e-server.log`,
    url: `http://localhost:${PORT}/sign-in`,
    reuseExistingServer: false,
    timeout: 120_000,
    // Every spec signs up from this one machine: the per-IP sign-up throttle is tested in
    // test/integration/security-hardening.test.ts, not here. WEBHOOKS_ALLOW_PRIVATE:
    // e2e/webhooks.spec.ts delivers to a receiver on 127.0.0.1.
    env: { PORT: String(PORT), LLAVERO_DATA_DIR: ".data/e2e", NODE_ENV: "production", SIGN_UP_LIMIT_PER_IP_PER_HOUR: "10000", WEBHOOKS_ALLOW_PRIVATE: "true" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
