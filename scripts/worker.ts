// `npm run worker`: runs background jobs in its own process, for deployments on PostgreSQL with
// several machines. Loaded by tsx outside Next, so nothing here may import "server-only".
import fs from "node:fs";
import { pendingMigrations, UnmigratedDatabaseError } from "@/lib/db/migrate";
import { openPostgres } from "@/lib/db/postgres";
import { registerAllHandlers } from "@/lib/jobs/handlers";
import { registeredQueues, startWorker } from "@/lib/jobs/worker";
import { startBillingMaintenance } from "@/lib/billing/maintenance";
import { stripeFromEnv } from "@/lib/billing/stripe-client";
import { checkAtRestKeyAtStartup } from "@/lib/crypto/at-rest-key";
import { env } from "@/lib/env";
import { startUsageMaintenance } from "@/lib/usage/maintenance";
import { startExpirySweep } from "@/lib/webhooks/expiry-sweep";
import { startWebhookSecretSealing } from "@/lib/webhooks/secrets-at-rest";

// Next reads these files for the app; read them here too so both see the same DATABASE_URL.
// Variables already set in the environment win, as they do in Next.
for (const file of [".env.local", ".env"]) {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    console.error(
      "npm run worker needs DATABASE_URL (PostgreSQL). Without it Llavero uses the embedded database, " +
        "which only one process can open: there the app runs jobs itself and no worker is needed.",
    );
    return 1;
  }

  const db = openPostgres(url);
  try {
    const pending = await pendingMigrations(db);
    if (pending.length > 0) {
      console.error(new UnmigratedDatabaseError(pending).message);
      await db.close();
      return 1;
    }
  } catch (err) {
    console.error(`Could not reach the database: ${(err as Error).message}`);
    await db.close().catch(() => {});
    return 1;
  }

  try {
    // The worker signs deliveries: without the app's key it could not (and must not guess one).
    checkAtRestKeyAtStartup();
  } catch (err) {
    console.error(`Llavero worker cannot start: ${(err as Error).message}`);
    await db.close();
    return 1;
  }
  void startWebhookSecretSealing(db);

  registerAllHandlers();
  const worker = startWorker({ db, visibilityTimeoutMs: env().JOB_VISIBILITY_TIMEOUT_MS });
  const stopMaintenance = startUsageMaintenance(db, env().HISTORY_RETENTION_DAYS);
  const stopExpirySweep = startExpirySweep(db); // key.expiring webhooks
  const stopBilling = startBillingMaintenance(db, { graceDays: env().BILLING_GRACE_DAYS, stripe: stripeFromEnv() });
  const queues = registeredQueues();
  console.log(
    `Llavero worker ${worker.workerId} started; queues: ${queues.length > 0 ? queues.join(", ") : "(none registered yet)"}`,
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    const shutdown = (sig: NodeJS.Signals) => {
      // A second signal means the operator does not want to wait for jobs in hand.
      if (stopping) process.exit(130);
      stopping = true;
      console.log(`${sig}: finishing the jobs in hand, then stopping (send again to quit now)`);
      resolve();
    };
    process.on("SIGINT", shutdown);
    process.on("SIGTERM", shutdown);
  });

  stopMaintenance();
  stopExpirySweep();
  stopBilling();
  await worker.stop();
  await db.close();
  console.log("Llavero worker stopped");
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
