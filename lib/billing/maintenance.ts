// No "server-only": scripts/worker.ts runs this too.
import type Stripe from "stripe";
import type { Database } from "@/lib/db/types";
import { collectOverage, drainOverageOutbox } from "./overage";
import { purgeAuthHistory } from "@/lib/auth/retention";
import { purgeIdempotencyRows } from "@/lib/public-api/idempotency-retention";
import { purgeBillingHistory } from "./retention";
import { reevaluateBilling } from "./sync";

export interface BillingMaintenanceOptions {
  graceDays: number;
  /** Null without STRIPE_SECRET_KEY: grace periods still run, nothing is reported. */
  stripe: Stripe | null;
  now?: Date;
}

/** The purge of old billing rows runs at most this often (each pass deletes little, but needs none every 15 s). */
const PURGE_EVERY_MS = 3600_000;
/** When each database was last purged (a process has one; tests open several). */
const purgedAt = new WeakMap<Database, number>();

/** One pass: grace periods and period ends, hourly retention (billing, auth, idempotency), overage into the outbox, the outbox to Stripe. */
export async function runBillingMaintenance(db: Database, opts: BillingMaintenanceOptions): Promise<void> {
  await reevaluateBilling(db, { now: opts.now, graceDays: opts.graceDays });
  const at = (opts.now ?? new Date()).getTime();
  const last = purgedAt.get(db);
  if (last === undefined || at - last >= PURGE_EVERY_MS) {
    purgedAt.set(db, at);
    await purgeBillingHistory(db, opts.now);
    // The hourly retention pass also clears old sign-in/sign-up throttle rows, expired sessions
    // and unread first-key reveals (nothing else purges them), and idempotent answers past their
    // replay window (otherwise dropped only by the same key's next call).
    await purgeAuthHistory(db, opts.now);
    await purgeIdempotencyRows(db, opts.now);
  }
  if (!opts.stripe) return;
  await collectOverage(db, { now: opts.now });
  await drainOverageOutbox(db, opts.stripe, { now: opts.now });
}

const holder = globalThis as unknown as { __llaveroBillingTimer?: NodeJS.Timeout };

/** Every 15 s in each server or worker process; row locks keep concurrent runs from double counting. */
export function startBillingMaintenance(db: Database, opts: Omit<BillingMaintenanceOptions, "now">, everyMs = 15_000): () => void {
  if (holder.__llaveroBillingTimer) return () => {};
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runBillingMaintenance(db, opts);
    } catch (err) {
      console.error(`billing maintenance failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  void tick();
  holder.__llaveroBillingTimer = setInterval(() => void tick(), everyMs);
  holder.__llaveroBillingTimer.unref();
  return () => {
    clearInterval(holder.__llaveroBillingTimer);
    holder.__llaveroBillingTimer = undefined;
  };
}
