/**
 * Where this month's usage lands at the current pace: calls so far divided by the share of the
 * month elapsed. In the month's first day the pace says nothing yet (four calls in its first hour
 * projected 2,685): null, and the page makes no projection.
 */
export function projectMonthEnd(used: number, now: Date): number | null {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsed = now.getTime() - start;
  if (elapsed < 86_400_000) return null;
  return Math.round((used * (end - start)) / elapsed);
}
