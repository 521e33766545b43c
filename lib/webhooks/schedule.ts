/** Svix's schedule: after the immediate first attempt, wait these before attempts 2..8. */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;

/** A receiver gets this long to answer an attempt. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/** How much of a receiver's answer the delivery log keeps. */
export const RESPONSE_BODY_BYTES = 1024;

/** An endpoint failing without a single success for this long is disabled. */
export const FAILING_DISABLE_MS = 5 * 86_400_000;

/** A receiver's Retry-After is honoured up to this (a day), so a typo cannot park a message for a year. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/** Parses WEBHOOKS_RETRY_SCHEDULE_MS ("5,10,20"); undefined gives the default schedule. */
export function scheduleFrom(value: string | undefined): readonly number[] {
  return value ? value.split(",").map(Number) : RETRY_SCHEDULE_MS;
}

/**
 * Milliseconds to wait after failed attempt number `attempt` (1-based), or null when it was the
 * last (the schedule has length + 1 attempts). On 429 and 503 a `Retry-After` longer than the
 * schedule's wait is honoured (capped at a day).
 */
export function retryDelayMs(
  attempt: number,
  schedule: readonly number[],
  answer: { status: number | null; retryAfterSeconds: number | null },
): number | null {
  if (attempt > schedule.length) return null;
  const base = schedule[attempt - 1]!;
  if ((answer.status === 429 || answer.status === 503) && answer.retryAfterSeconds !== null) {
    return Math.max(base, Math.min(answer.retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS));
  }
  return base;
}
