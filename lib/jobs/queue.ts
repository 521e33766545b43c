// No "server-only" or Next imports: scripts/worker.ts and the tests load this outside Next.
import type { Database, Queryable } from "@/lib/db/types";

/** Job states, as jobs.status's check constraint lists them. */
export const JOB_STATUSES = ["queued", "running", "completed", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface Job {
  id: number;
  queue: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lockedAt: Date | null;
  lockedBy: string | null;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

interface JobRow {
  id: number;
  queue: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_at: Date | null;
  locked_by: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export function toJob(r: JobRow): Job {
  return {
    id: r.id,
    queue: r.queue,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    lockedAt: r.locked_at,
    lockedBy: r.locked_by,
    lastError: r.last_error,
    dedupeKey: r.dedupe_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  };
}

export const MAX_ERROR_LENGTH = 1000;

/** Counts code points, as the column's check does, and never splits a surrogate pair. */
export function truncateError(message: string): string {
  const chars = Array.from(message);
  return chars.length <= MAX_ERROR_LENGTH ? message : `${chars.slice(0, MAX_ERROR_LENGTH - 1).join("")}…`;
}

// Svix's schedule after the immediate first try. Attempt n (1-based) failing waits entry n-1;
// past the end the last entry repeats, for callers that raise max_attempts above 8.
const SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;

export interface BackoffOptions {
  /** Spreads retries so jobs that failed together (an outage) do not all come back together. */
  jitter?: boolean;
  random?: () => number;
}

/** Delay before retrying a job whose attempt number `attempt` (1-based) just failed. */
export function backoffDelayMs(attempt: number, opts: BackoffOptions = {}): number {
  const index = Math.min(Math.max(Math.floor(attempt), 1), SCHEDULE_MS.length) - 1;
  const base = SCHEDULE_MS[index]!;
  if (opts.jitter === false) return base;
  // Only ever later than the schedule, by up to 20 %, so "at least 5 s" stays true.
  return Math.round(base * (1 + 0.2 * (opts.random ?? Math.random)()));
}

export interface EnqueueOptions {
  runAt?: Date;
  /** A second enqueue with the same key returns the first job's id and changes nothing. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * Takes a Queryable so callers can enqueue inside their own transaction: the job then exists
 * only if their write commits. Returns the job id (the existing one for a duplicate key).
 */
export async function enqueue(
  db: Queryable,
  queue: string,
  payload: unknown,
  opts: EnqueueOptions = {},
): Promise<number> {
  const params = [
    queue,
    JSON.stringify(payload ?? null),
    opts.runAt ?? null,
    opts.maxAttempts ?? null,
    opts.dedupeKey ?? null,
  ];
  const inserted = await db.query<{ id: number }>(
    `insert into public.jobs (queue, payload, run_at, max_attempts, dedupe_key)
     values ($1, $2::jsonb, coalesce($3::timestamptz, now()), coalesce($4::int, 8), $5)
     on conflict (dedupe_key) do nothing
     returning id`,
    params,
  );
  if (inserted.rows[0]) return inserted.rows[0].id;
  // Only a dedupe conflict returns no row; under read committed this new statement sees the
  // row the conflicting transaction committed.
  const existing = await db.query<{ id: number }>("select id from public.jobs where dedupe_key = $1", [
    opts.dedupeKey,
  ]);
  if (!existing.rows[0]) throw new Error(`Could not enqueue a job on queue "${queue}"`);
  return existing.rows[0].id;
}

/**
 * Claims up to `limit` due jobs in one statement. SKIP LOCKED lets concurrent workers pass over
 * each other's rows instead of waiting, so no job is handed to two workers.
 */
export async function claim(db: Database, queues: string[], workerId: string, limit: number): Promise<Job[]> {
  if (queues.length === 0 || limit < 1) return [];
  const { rows } = await db.query<JobRow>(
    `update public.jobs
        set status = 'running', locked_at = now(), locked_by = $2, attempts = attempts + 1, updated_at = now()
      where id in (
        select id from public.jobs
         where status = 'queued' and queue = any($1::text[]) and run_at <= now()
         order by run_at, id
         limit $3
         for update skip locked
      )
      returning *`,
    [queues, workerId, Math.floor(limit)],
  );
  return rows.map(toJob).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/** False when the job was no longer running (recovered as stale meanwhile). */
export async function complete(db: Queryable, jobId: number): Promise<boolean> {
  const { rows } = await db.query(
    `update public.jobs set status = 'completed', completed_at = now(), updated_at = now(), last_error = null
      where id = $1 and status = 'running'
      returning id`,
    [jobId],
  );
  return rows.length > 0;
}

export interface FailResult {
  status: "queued" | "failed";
  /** When the retry is due; null once the job has failed for good. */
  retryAt: Date | null;
}

/**
 * Schedules a retry with backoff, or fails the job for good once it has used its attempts.
 * Matches on the attempt that was claimed, so a late report from a worker whose job was
 * recovered and claimed again cannot disturb the newer run. Null when nothing matched.
 */
export async function fail(
  db: Queryable,
  job: Pick<Job, "id" | "attempts">,
  error: unknown,
  opts: BackoffOptions = {},
): Promise<FailResult | null> {
  const message = truncateError(errorMessage(error));
  // The row's own max_attempts decides below; the delay is simply unused on a final failure.
  const delay = backoffDelayMs(job.attempts, opts);
  const { rows } = await db.query<{ status: "queued" | "failed"; run_at: Date }>(
    `update public.jobs
        set status = case when attempts >= max_attempts then 'failed' else 'queued' end,
            run_at = case when attempts >= max_attempts then run_at
                          else now() + $3::bigint * interval '1 millisecond' end,
            completed_at = case when attempts >= max_attempts then now() end,
            locked_at = null,
            locked_by = case when attempts >= max_attempts then locked_by end,
            last_error = $4,
            updated_at = now()
      where id = $1 and status = 'running' and attempts = $2
      returning status, run_at`,
    [job.id, job.attempts, delay, message],
  );
  const row = rows[0];
  if (!row) return null;
  return { status: row.status, retryAt: row.status === "queued" ? row.run_at : null };
}

/**
 * A worker that crashed leaves its jobs running forever; after `olderThanMs` (the visibility
 * timeout, longer than any job may run) they go back to the queue, or fail if that was their
 * last attempt. Returns how many jobs were recovered.
 */
export async function recoverStale(db: Queryable, olderThanMs: number): Promise<number> {
  const { rows } = await db.query(
    `update public.jobs
        set status = case when attempts >= max_attempts then 'failed' else 'queued' end,
            completed_at = case when attempts >= max_attempts then now() end,
            run_at = now(),
            last_error = 'The worker ' || coalesce(locked_by, '(unknown)') || ' stopped responding while running this job.',
            locked_at = null,
            locked_by = null,
            updated_at = now()
      where status = 'running' and locked_at < now() - $1::bigint * interval '1 millisecond'
      returning id`,
    [Math.floor(olderThanMs)],
  );
  return rows.length;
}

/**
 * Completed jobs only matter for dedupe and debugging; without a purge the table grows forever.
 * Failed jobs are kept for someone to look at.
 */
export async function purgeCompleted(db: Queryable, olderThanMs: number): Promise<number> {
  const { rows } = await db.query(
    `delete from public.jobs
      where status = 'completed' and completed_at < now() - $1::bigint * interval '1 millisecond'
      returning id`,
    [Math.floor(olderThanMs)],
  );
  return rows.length;
}

export async function getJob(db: Queryable, jobId: number): Promise<Job | null> {
  const { rows } = await db.query<JobRow>("select * from public.jobs where id = $1", [jobId]);
  return rows[0] ? toJob(rows[0]) : null;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  return "Unknown error";
}
