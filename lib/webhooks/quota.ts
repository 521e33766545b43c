// `quota.threshold`, noticed from the verification result the hot path already has: no extra
// round trip on the request. No "server-only" so the tests can drive it directly.
import type { Database } from "@/lib/db/types";
import { notify } from "@/lib/jobs/worker";

/**
 * True when the call that brought usage to `used` (of `limit`) crossed a whole percent. Only
 * those calls (at most ~100 a month per team, plus overage) ask the database whether a
 * threshold was reached, and every check marks all thresholds reached so far, so a check lost
 * to a crash is made up by the next crossing.
 */
export function crossesPercent(used: number, limit: number): boolean {
  if (!(limit > 0) || used < 1) return false;
  return Math.floor((used * 100) / limit) > Math.floor(((used - 1) * 100) / limit);
}

/**
 * Records thresholds reached and emits `quota.threshold` for each new one (once per team,
 * month and threshold, whatever the concurrency). Returns how many fired.
 */
export async function checkQuotaThresholds(db: Database, teamId: string, used: number, limit: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>("select public.webhook_quota_check($1, $2, $3) as n", [teamId, used, limit]);
  const n = rows[0]?.n ?? 0;
  if (n > 0) notify();
  return n;
}

/**
 * Called after every admitted metered call with the verification's figures; returns at once.
 * The check runs after the response is on its way (fire-and-forget), errors only logged.
 */
export function noteQuotaUsage(getDb: () => Promise<Database>, teamId: string, used: number, limit: number): void {
  if (!crossesPercent(used, limit)) return;
  setImmediate(() => {
    getDb()
      .then((db) => checkQuotaThresholds(db, teamId, used, limit))
      .catch((err: unknown) => console.error(`[webhooks] quota threshold check failed: ${(err as Error)?.message}`));
  });
}
