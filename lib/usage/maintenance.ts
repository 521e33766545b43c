import type { Database } from "@/lib/db/types";

export interface MaintenanceResult {
  rolledUp: number;
  purged: number;
  /** Webhook attempts and messages purged (public.purge_webhook_history). */
  webhooksPurged: number;
}

/** Rows younger than this may still be in flight (open transaction, pending completion batch). */
export const ROLLUP_LAG_MS = 60_000;

/**
 * Folds the call log into the daily rollup and purges history older than the retention period
 * (never rows the rollup has not counted yet), and webhook messages and attempts as old. Idempotent and safe to run from several processes.
 */
export async function runUsageMaintenance(db: Database, opts: { retentionDays: number; now?: Date }): Promise<MaintenanceResult> {
  const now = opts.now ?? new Date();
  const r = await db.query<{ n: number }>("select public.roll_up_usage($1) as n", [new Date(now.getTime() - ROLLUP_LAG_MS)]);
  const cutoff = new Date(now.getTime() - opts.retentionDays * 86_400_000);
  let purged = 0;
  for (;;) {
    const p = await db.query<{ n: number }>("select public.purge_call_history($1, 50000) as n", [cutoff]);
    const n = p.rows[0]?.n ?? 0;
    purged += n;
    if (n < 50_000) break;
  }
  // Webhook history follows the same retention; a message still being delivered is kept.
  let webhooksPurged = 0;
  for (;;) {
    const p = await db.query<{ n: number }>("select public.purge_webhook_history($1, 10000) as n", [cutoff]);
    const n = p.rows[0]?.n ?? 0;
    webhooksPurged += n;
    if (n === 0) break;
  }
  return { rolledUp: r.rows[0]?.n ?? 0, purged, webhooksPurged };
}

/** After writing rows dated in the past (seeding, imports), which a watermark would skip. */
export async function rebuildUsageRollup(db: Database, now = new Date()): Promise<number> {
  const r = await db.query<{ n: number }>("select public.rebuild_usage_rollup($1) as n", [new Date(now.getTime() - ROLLUP_LAG_MS)]);
  return r.rows[0]?.n ?? 0;
}

const holder = globalThis as unknown as { __llaveroUsageTimer?: NodeJS.Timeout };

/** Every 30 s in each server or worker process; the SQL functions serialise concurrent runs. */
export function startUsageMaintenance(db: Database, retentionDays: number, everyMs = 30_000): () => void {
  if (holder.__llaveroUsageTimer) return () => {};
  const tick = () =>
    runUsageMaintenance(db, { retentionDays }).catch((err: Error) => console.error(`usage maintenance failed: ${err.message}`));
  void tick();
  holder.__llaveroUsageTimer = setInterval(tick, everyMs);
  holder.__llaveroUsageTimer.unref();
  return () => {
    clearInterval(holder.__llaveroUsageTimer);
    holder.__llaveroUsageTimer = undefined;
  };
}
