/**
 * Where this month's usage lands at the current pace: calls so far divided by the share of the
 * month elapsed. Early in the month the pace is noisy, so the first hour projects nothing extra.
 */
export function projectMonthEnd(used: number, now: Date): number {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsed = now.getTime() - start;
  if (elapsed < 3_600_000) return used;
  return Math.round((used * (end - start)) / elapsed);
}
