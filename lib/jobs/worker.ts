// No "server-only" or Next imports: scripts/worker.ts and the tests load this outside Next.
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Database } from "@/lib/db/types";
import { claim, complete, errorMessage, fail, purgeCompleted, recoverStale, type Job } from "./queue";

export interface JobContext {
  db: Database;
  job: Job;
  /** Aborted when the job times out: the handler should stop, since the job will be retried. */
  signal: AbortSignal;
}

/**
 * Jobs run at least once: a crash after the work but before `complete` runs them again, so
 * handlers must be idempotent. Throwing schedules a retry with backoff.
 */
export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

// On globalThis because Next's dev server re-evaluates modules on edit: a loop started by an
// older copy of this module must still see handlers registered, and notify() calls made, by
// the newer copy.
interface JobsState {
  handlers: Map<string, JobHandler>;
  wakers: Set<() => void>;
}
const holder = globalThis as unknown as { __llaveroJobs?: JobsState };
const state: JobsState = (holder.__llaveroJobs ??= { handlers: new Map(), wakers: new Set() });

/** Replaces any handler for the queue. Returns a function that unregisters it. */
export function registerHandler(queue: string, handler: JobHandler): () => void {
  state.handlers.set(queue, handler);
  return () => {
    if (state.handlers.get(queue) === handler) state.handlers.delete(queue);
  };
}

export function registeredQueues(): string[] {
  return [...state.handlers.keys()];
}

/** Wakes every worker loop in this process, e.g. right after committing an enqueue. */
export function notify(): void {
  for (const wake of state.wakers) wake();
}

export class JobTimeoutError extends Error {
  constructor(ms: number) {
    super(`The job did not finish within ${ms} ms.`);
    this.name = "JobTimeoutError";
  }
}

export type Logger = (message: string) => void;
const defaultLogger: Logger = (message) => console.error(`[jobs] ${message}`);

const processWorkerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface RunOptions {
  workerId?: string;
  /**
   * Default: the queues with a registered handler, so that during a rolling deploy an older
   * worker leaves jobs it does not know for the newer ones instead of failing them.
   */
  queues?: string[];
  batch?: number;
  /** Must stay below the visibility timeout, or a slow job would be recovered while running. */
  jobTimeoutMs?: number;
  /** Off in tests that assert exact retry times. */
  jitter?: boolean;
  /** Receives error messages only: payloads may hold business data and never reach the log. */
  log?: Logger;
}

/** Claims and runs one batch; returns how many jobs it ran. Throws only if claiming fails. */
export async function runOnce(db: Database, opts: RunOptions = {}): Promise<number> {
  const workerId = opts.workerId ?? processWorkerId;
  const jobs = await claim(db, opts.queues ?? registeredQueues(), workerId, opts.batch ?? 5);
  const log = safeLogger(opts.log ?? defaultLogger);
  // Concurrently, so every job of the batch finishes within one job timeout of its claim; run
  // one after another, the last could still be running when the visibility timeout expires.
  await Promise.all(
    jobs.map((job) =>
      runJob(db, job, workerId, opts, log).catch((err: unknown) => {
        // The database failed while recording the outcome: the job stays running and is
        // recovered after the visibility timeout.
        log(`job ${job.id} (${job.queue}): could not record the outcome: ${errorMessage(err)}`);
      }),
    ),
  );
  return jobs.length;
}

async function runJob(db: Database, job: Job, workerId: string, opts: RunOptions, log: Logger): Promise<void> {
  const timeoutMs = opts.jobTimeoutMs ?? 30_000;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const handler = state.handlers.get(job.queue);
    if (!handler) {
      throw new Error(`No handler is registered for queue "${job.queue}" in worker ${workerId}.`);
    }
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new JobTimeoutError(timeoutMs);
        controller.abort(err);
        reject(err);
      }, timeoutMs);
    });
    // Through a then() so a handler that throws synchronously is handled like a rejection.
    const run = Promise.resolve().then(() => handler(job.payload, { db, job, signal: controller.signal }));
    await Promise.race([run, timeout]);
  } catch (err) {
    clearTimeout(timer);
    const result = await fail(db, job, err, { jitter: opts.jitter });
    const outcome =
      result === null
        ? "it was no longer ours to fail"
        : result.status === "failed"
          ? "no attempts left, marked failed"
          : `retry at ${result.retryAt?.toISOString()}`;
    log(`job ${job.id} (${job.queue}) attempt ${job.attempts}/${job.maxAttempts} failed: ${errorMessage(err)}; ${outcome}`);
    return;
  }
  clearTimeout(timer);
  await complete(db, job.id);
}

function safeLogger(log: Logger): Logger {
  return (message) => {
    try {
      log(message);
    } catch {
      /* a broken logger must not stop the queue */
    }
  };
}

export interface WorkerOptions extends RunOptions {
  db: Database;
  pollMs?: number;
  /** How long a job may stay running before it is taken for a crashed worker's and requeued. */
  visibilityTimeoutMs?: number;
  /** Completed jobs are kept this long (dedupe and debugging), then deleted. */
  retainCompletedMs?: number;
  signal?: AbortSignal;
}

export interface WorkerHandle {
  readonly workerId: string;
  /** Stops claiming and resolves once the jobs in hand have finished. */
  stop(): Promise<void>;
}

const MAX_ERROR_SLEEP_MS = 30_000;
const PURGE_EVERY_MS = 3_600_000;

export function startWorker(opts: WorkerOptions): WorkerHandle {
  const { db, signal } = opts;
  const workerId = opts.workerId ?? processWorkerId;
  const pollMs = opts.pollMs ?? 500;
  const batch = opts.batch ?? 5;
  const visibilityTimeoutMs = opts.visibilityTimeoutMs ?? 60_000;
  const jobTimeoutMs = opts.jobTimeoutMs ?? Math.floor(visibilityTimeoutMs / 2);
  const retainCompletedMs = opts.retainCompletedMs ?? 7 * 86_400_000;
  if (jobTimeoutMs >= visibilityTimeoutMs) {
    throw new RangeError(
      `jobTimeoutMs (${jobTimeoutMs}) must be below visibilityTimeoutMs (${visibilityTimeoutMs}), ` +
        `or running jobs would be recovered as abandoned.`,
    );
  }
  const recoverEveryMs = Math.max(1_000, Math.min(Math.floor(visibilityTimeoutMs / 2), 30_000));
  const log = safeLogger(opts.log ?? defaultLogger);
  const runOpts: RunOptions = { ...opts, workerId, batch, jobTimeoutMs, log };

  let stopped = false;
  // Set by notify() even while a batch runs, so a wake-up that arrives mid-batch is not lost.
  let woken = false;
  let wakeSleeper: (() => void) | undefined;
  const waker = () => {
    woken = true;
    wakeSleeper?.();
  };
  state.wakers.add(waker);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) {
        woken = false;
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        wakeSleeper = undefined;
        woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeSleeper = done;
    });

  const loop = (async () => {
    let consecutiveErrors = 0;
    let nextRecoverAt = 0;
    let nextPurgeAt = 0;
    while (!stopped) {
      let full = false;
      try {
        if (Date.now() >= nextRecoverAt) {
          const recovered = await recoverStale(db, visibilityTimeoutMs);
          if (recovered > 0) log(`requeued ${recovered} job(s) abandoned by a stopped worker`);
          nextRecoverAt = Date.now() + recoverEveryMs;
        }
        if (Date.now() >= nextPurgeAt) {
          await purgeCompleted(db, retainCompletedMs);
          nextPurgeAt = Date.now() + PURGE_EVERY_MS;
        }
        full = (await runOnce(db, runOpts)) >= batch;
        consecutiveErrors = 0;
      } catch (err) {
        consecutiveErrors++;
        log(`worker ${workerId}: ${errorMessage(err)}`);
      }
      // A full batch means more may be waiting: claim again at once.
      if (full) continue;
      // While the database is down, back off instead of logging every poll.
      await sleep(consecutiveErrors > 0 ? Math.min(pollMs * 2 ** consecutiveErrors, MAX_ERROR_SLEEP_MS) : pollMs);
    }
  })();

  const onAbort = () => void stop();
  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      stopped = true;
      state.wakers.delete(waker);
      signal?.removeEventListener("abort", onAbort);
      wakeSleeper?.();
      await loop;
    })();
    return stopping;
  }
  if (signal?.aborted) void stop();
  else signal?.addEventListener("abort", onAbort, { once: true });

  return { workerId, stop };
}
