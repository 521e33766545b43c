import type { Database } from "@/lib/db/types";

export interface MaintenanceResult {
  rolledUp: number;
  /** Call-log partitions created ahead (and filled from the default partition, if it had rows of their day). */
  partitionsCreated: number;
  /** Whole day partitions of the call log dropped by retention. */
  partitionsDropped: number;
  /** Rows deleted one by one: only stragglers in the call log's default partition. */
  purged: number;
  /** Webhook attempts and messages purged (public.purge_webhook_history). */
  webhooksPurged: number;
}

/** Rows younger than this may still be in flight (open transaction, pending completion batch). */
export const ROLLUP_LAG_MS = 60_000;

/** Days of call-log partitions kept ready ahead of today (UTC), so upkeep can be late by a week. */
export const PARTITION_DAYS_AHEAD = 7;

/**
 * Creates the call log's day partitions from yesterday to PARTITION_DAYS_AHEAD days ahead (UTC),
 * and moves any rows the default partition caught into their day's partition. Returns the
 * number of partitions created. Safe from several processes at once (public.ensure_api_call_partitions
 * serialises on an advisory lock and skips existing partitions).
 */
export async function ensureCallLogPartitions(db: Database, now = new Date()): Promise<number> {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const r = await db.query<{ n: number }>("select public.ensure_api_call_partitions($1::date, $2::date) as n", [day(-1), day(PARTITION_DAYS_AHEAD)]);
  return r.rows[0]?.n ?? 0;
}

/**
 * Keeps call-log partitions ready ahead, folds the call log into the daily rollup, and applies
 * retention: drops whole day partitions older than the retention period (never a day the rollup
 * has not counted yet; retention is whole UTC days, so a row may outlive it by up to a day),
 * and webhook messages and attempts as old. Idempotent and safe to run from several processes.
 */
export async function runUsageMaintenance(db: Database, opts: { retentionDays: number; now?: Date }): Promise<MaintenanceResult> {
  const now = opts.now ?? new Date();
  const partitionsCreated = await ensureCallLogPartitions(db, now);
  const r = await db.query<{ n: number }>("select public.roll_up_usage($1) as n", [new Date(now.getTime() - ROLLUP_LAG_MS)]);
  const cutoff = new Date(now.getTime() - opts.retentionDays * 86_400_000);
  const d = await db.query<{ n: number }>("select public.drop_expired_api_call_partitions($1) as n", [cutoff]);
  const partitionsDropped = d.rows[0]?.n ?? 0;
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
  return { rolledUp: r.rows[0]?.n ?? 0, partitionsCreated, partitionsDropped, purged, webhooksPurged };
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
