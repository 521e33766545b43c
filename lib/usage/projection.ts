/**
 * Where this month's usage lands at the current pace: calls so far divided by the share of the
 * month elapsed. In the month's first hour the pace says nothing yet: null (the page then makes no
 * projection rather than one equal to the usage so far).
 */
export function projectMonthEnd(used: number, now: Date): number | null {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsed = now.getTime() - start;
  if (elapsed < 3_600_000) return null;
  return Math.round((used * (end - start)) / elapsed);
}
