import "server-only";
import { getDb } from "@/lib/db";
import type { Database } from "@/lib/db/types";
import { startBillingMaintenance } from "@/lib/billing/maintenance";
import { stripeFromEnv } from "@/lib/billing/stripe-client";
import { env } from "@/lib/env";
import { registerAllHandlers } from "@/lib/jobs/handlers";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { startUsageMaintenance } from "@/lib/usage/maintenance";
import { checkAtRestKeyAtStartup } from "@/lib/crypto/at-rest-key";
import { startExpirySweep } from "@/lib/webhooks/expiry-sweep";
import { startWebhookSecretSealing } from "@/lib/webhooks/secrets-at-rest";

// On globalThis so a module re-evaluated by the dev server finds the worker already running
// instead of starting a second loop.
const holder = globalThis as unknown as { __llaveroInprocessWorker?: WorkerHandle };

export async function startServerRuntime(): Promise<void> {
  let db: Database;
  try {
    db = await getDb();
    // A missing or malformed key stops the server here, not at the first webhook.
    checkAtRestKeyAtStartup();
  } catch (err) {
    console.error(`\nLlavero cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  if (env().WEBHOOKS_ALLOW_PRIVATE && process.env.NODE_ENV === "production") {
    // A development switch left on: webhook deliveries may reach this host's own network.
    console.warn("[webhooks] WARNING: WEBHOOKS_ALLOW_PRIVATE is on in production: endpoints may point at private and loopback addresses and use plain http. Unset it unless this server only delivers inside a network you trust.");
  }
  // Every process does it, worker or not; the pass is idempotent and takes turns on PostgreSQL.
  void startWebhookSecretSealing(db);
  if (env().LLAVERO_INPROCESS_WORKER === "true") {
    startInprocessWorker(db);
    // Usage rollup and history retention ride along with the in-process worker.
    startUsageMaintenance(db, env().HISTORY_RETENTION_DAYS);
    startExpirySweep(db); // key.expiring webhooks
    // Grace periods, and overage reported to Stripe from the outbox (never on the hot path).
    startBillingMaintenance(db, { graceDays: env().BILLING_GRACE_DAYS, stripe: stripeFromEnv() });
  }
}

/** Background jobs (audits, later webhooks) in the app's own process; once per process. */
function startInprocessWorker(db: Database): void {
  if (holder.__llaveroInprocessWorker) return;
  registerAllHandlers();
  const worker = startWorker({ db, visibilityTimeoutMs: env().JOB_VISIBILITY_TIMEOUT_MS });
  holder.__llaveroInprocessWorker = worker;
  // Stop claiming on shutdown. A job cut short by the process exiting stays "running" and is
  // requeued by the next worker after the visibility timeout; handlers are idempotent.
  process.once("SIGTERM", () => {
    void worker.stop();
  });
}
