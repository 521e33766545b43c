/**
 * A counting semaphore with a bounded queue. `run(fn)` waits for one of `limit` slots, runs fn,
 * and frees the slot however fn ends. When `maxQueue` callers already wait, it rejects at once
 * with SemaphoreFullError instead of queueing without end.
 */
export class SemaphoreFullError extends Error {
  constructor() {
    super("Too many operations waiting.");
    this.name = "SemaphoreFullError";
  }
}

export interface Semaphore {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Slots in use now, and the most ever in use at once (for tests and diagnostics). */
  stats(): { active: number; waiting: number; peak: number };
}

export function createSemaphore(limit: number, maxQueue = Infinity): Semaphore {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  let active = 0;
  let peak = 0;
  const waiting: (() => void)[] = [];

  const acquire = (): Promise<void> => {
    if (active < limit) {
      active++;
      peak = Math.max(peak, active);
      return Promise.resolve();
    }
    if (waiting.length >= maxQueue) return Promise.reject(new SemaphoreFullError());
    // The slot is handed over directly by release(), so `active` never dips in between.
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  return {
    async run(fn) {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    stats: () => ({ active, waiting: waiting.length, peak }),
  };
}
