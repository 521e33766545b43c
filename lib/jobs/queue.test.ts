import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/postgres";
import type { Database } from "@/lib/db/types";
import { testDatabases, type TestDatabase } from "@/test/databases";
import { backoffDelayMs, claim, complete, enqueue, fail, getJob, recoverStale, MAX_ERROR_LENGTH } from "./queue";
import { notify, registerHandler, runOnce, startWorker, type JobHandler } from "./worker";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe("backoffDelayMs", () => {
  it("follows the Svix schedule without jitter", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelayMs(a, { jitter: false }));
    expect(delays).toEqual([5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
  });

  it("repeats the last step past the schedule and treats nonsense attempts as the first", () => {
    expect(backoffDelayMs(8, { jitter: false })).toBe(10 * HOUR);
    expect(backoffDelayMs(50, { jitter: false })).toBe(10 * HOUR);
    expect(backoffDelayMs(0, { jitter: false })).toBe(5 * SECOND);
    expect(backoffDelayMs(-3, { jitter: false })).toBe(5 * SECOND);
  });

  it("jitters only later than the schedule, by at most 20 %", () => {
    expect(backoffDelayMs(2, { random: () => 0 })).toBe(5 * MINUTE);
    expect(backoffDelayMs(2, { random: () => 0.5 })).toBe(5 * MINUTE * 1.1);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(1);
      expect(d).toBeGreaterThanOrEqual(5 * SECOND);
      expect(d).toBeLessThanOrEqual(6 * SECOND);
    }
  });
});

const queueName = () => `test.${randomUUID().slice(0, 8)}`;
const silent = () => {};

async function dueNow(db: Database, jobId: number) {
  await db.query("update public.jobs set run_at = now() where id = $1", [jobId]);
}

async function retryDelayMs(db: Database, jobId: number): Promise<number> {
  const { rows } = await db.query<{ ms: number }>(
    "select extract(epoch from (run_at - updated_at)) * 1000 as ms from public.jobs where id = $1",
    [jobId],
  );
  return Math.round(rows[0]!.ms);
}

async function withHandler<T>(queue: string, handler: JobHandler, fn: () => Promise<T>): Promise<T> {
  const unregister = registerHandler(queue, handler);
  try {
    return await fn();
  } finally {
    unregister();
  }
}

describe.each(testDatabases())("job queue on $name", ({ name, open }) => {
  let t: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    t = await open();
    db = t.db;
  });
  afterAll(async () => t?.dispose());

  it("enqueues, claims in run_at order, and completes", async () => {
    const q = queueName();
    const first = await enqueue(db, q, { n: 1, nested: { ok: true } });
    const second = await enqueue(db, q, { n: 2 });
    await enqueue(db, queueName(), { other: true });

    const [a] = await claim(db, [q], "w1", 1);
    expect(a).toMatchObject({ id: first, queue: q, status: "running", attempts: 1, lockedBy: "w1", maxAttempts: 8 });
    expect(a!.payload).toEqual({ n: 1, nested: { ok: true } });
    expect(a!.lockedAt).toBeInstanceOf(Date);

    const rest = await claim(db, [q], "w1", 10);
    expect(rest.map((j) => j.id)).toEqual([second]);
    expect(await claim(db, [q], "w1", 10)).toEqual([]);

    expect(await complete(db, first)).toBe(true);
    expect(await complete(db, first)).toBe(false);
    const done = await getJob(db, first);
    expect(done).toMatchObject({ status: "completed", lastError: null });
    expect(done!.completedAt).toBeInstanceOf(Date);
  });

  it("enqueues inside the caller's transaction: a rollback leaves no job", async () => {
    const q = queueName();
    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, q, {});
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const id = await db.transaction((tx) => enqueue(tx, q, { kept: true }));
    const claimed = await claim(db, [q], "w1", 10);
    expect(claimed.map((j) => j.id)).toEqual([id]);
  });

  it("holds a job until its run_at", async () => {
    const q = queueName();
    const id = await enqueue(db, q, {}, { runAt: new Date(Date.now() + HOUR) });
    expect(await claim(db, [q], "w1", 10)).toEqual([]);
    await dueNow(db, id);
    expect((await claim(db, [q], "w1", 10)).map((j) => j.id)).toEqual([id]);
  });

  it("retries with backoff and fails for good after max_attempts", async () => {
    const q = queueName();
    const id = await enqueue(db, q, {}, { maxAttempts: 3 });

    const [a1] = await claim(db, [q], "w1", 1);
    const r1 = await fail(db, a1!, new Error("boom 1"), { jitter: false });
    expect(r1!.status).toBe("queued");
    expect(await retryDelayMs(db, id)).toBe(5 * SECOND);
    expect(await getJob(db, id)).toMatchObject({ status: "queued", attempts: 1, lastError: "boom 1", lockedAt: null });
    // Not due yet.
    expect(await claim(db, [q], "w1", 1)).toEqual([]);

    await dueNow(db, id);
    const [a2] = await claim(db, [q], "w2", 1);
    expect(a2!.attempts).toBe(2);
    await fail(db, a2!, new Error("boom 2"), { jitter: false });
    expect(await retryDelayMs(db, id)).toBe(5 * MINUTE);

    await dueNow(db, id);
    const [a3] = await claim(db, [q], "w3", 1);
    expect(a3!.attempts).toBe(3);
    const r3 = await fail(db, a3!, "boom 3", { jitter: false });
    expect(r3).toEqual({ status: "failed", retryAt: null });
    const failed = await getJob(db, id);
    expect(failed).toMatchObject({ status: "failed", attempts: 3, lastError: "boom 3" });
    expect(failed!.completedAt).toBeInstanceOf(Date);

    await dueNow(db, id);
    expect(await claim(db, [q], "w1", 1)).toEqual([]);
  });

  it("ignores a failure reported for an attempt that is no longer running", async () => {
    const q = queueName();
    const id = await enqueue(db, q, {});
    const [job] = await claim(db, [q], "w1", 1);
    expect(await fail(db, { ...job!, attempts: job!.attempts - 1 }, "late")).toBeNull();
    expect(await getJob(db, id)).toMatchObject({ status: "running", lastError: null });
  });

  it("stores error messages truncated to 1000 characters", async () => {
    const q = queueName();
    const id = await enqueue(db, q, {});
    const [job] = await claim(db, [q], "w1", 1);
    await fail(db, job!, new Error("x".repeat(5_000)));
    const stored = await getJob(db, id);
    expect(stored!.lastError!.length).toBe(MAX_ERROR_LENGTH);
    expect(stored!.lastError!.startsWith("xxxx")).toBe(true);
  });

  it("deduplicates on dedupe_key", async () => {
    const q = queueName();
    const key = `evt_${randomUUID()}`;
    const a = await enqueue(db, q, { first: true }, { dedupeKey: key });
    const b = await enqueue(db, q, { second: true }, { dedupeKey: key });
    expect(b).toBe(a);
    expect((await getJob(db, a))!.payload).toEqual({ first: true });
    // Still deduplicated once the first job has run.
    const [job] = await claim(db, [q], "w1", 1);
    await complete(db, job!.id);
    expect(await enqueue(db, q, {}, { dedupeKey: key })).toBe(a);

    const c = await enqueue(db, q, {}, { dedupeKey: `${key}-other` });
    const d1 = await enqueue(db, q, {});
    const d2 = await enqueue(db, q, {});
    expect(new Set([a, c, d1, d2]).size).toBe(4);
  });

  it("picks up again a job whose worker crashed", async () => {
    const q = queueName();
    const id = await enqueue(db, q, { audit: "x" });
    const [crashed] = await claim(db, [q], "crashed-worker", 1);
    expect(crashed!.id).toBe(id);

    // Still within the visibility timeout: the worker may just be slow.
    expect(await recoverStale(db, MINUTE)).toBe(0);
    expect(await claim(db, [q], "w2", 1)).toEqual([]);

    await db.query("update public.jobs set locked_at = now() - interval '2 minutes' where id = $1", [id]);
    expect(await recoverStale(db, MINUTE)).toBe(1);
    const recovered = await getJob(db, id);
    expect(recovered).toMatchObject({ status: "queued", lockedAt: null, lockedBy: null, attempts: 1 });
    expect(recovered!.lastError).toMatch(/crashed-worker stopped responding/);

    const [again] = await claim(db, [q], "w2", 1);
    expect(again).toMatchObject({ id, attempts: 2, lockedBy: "w2" });
    expect(await complete(db, id)).toBe(true);
  });

  it("fails a crashed worker's job that was on its last attempt", async () => {
    const q = queueName();
    const id = await enqueue(db, q, {}, { maxAttempts: 1 });
    await claim(db, [q], "crashed-worker", 1);
    await db.query("update public.jobs set locked_at = now() - interval '2 minutes' where id = $1", [id]);
    expect(await recoverStale(db, MINUTE)).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("runOnce completes jobs whose handler resolves and retries those whose handler throws", async () => {
    const q = queueName();
    const ok = await enqueue(db, q, { ok: true });
    const bad = await enqueue(db, q, { ok: false, secret: "s3cret-business-data" });
    const logs: string[] = [];
    const seen: unknown[] = [];
    const processed = await withHandler(
      q,
      async (payload, ctx) => {
        seen.push(payload);
        expect(ctx.job.queue).toBe(q);
        if (!(payload as { ok: boolean }).ok) throw new Error("upstream said no");
      },
      () => runOnce(db, { queues: [q], workerId: "w1", jitter: false, log: (m) => logs.push(m) }),
    );
    expect(processed).toBe(2);
    expect(seen).toHaveLength(2);
    expect(await getJob(db, ok)).toMatchObject({ status: "completed" });
    expect(await getJob(db, bad)).toMatchObject({ status: "queued", attempts: 1, lastError: "upstream said no" });
    expect(await retryDelayMs(db, bad)).toBe(5 * SECOND);
    expect(logs.join("\n")).toMatch(/upstream said no/);
    expect(logs.join("\n")).not.toMatch(/s3cret/);
  });

  it("runOnce fails a job whose queue has no handler, with a clear error", async () => {
    const q = queueName();
    const id = await enqueue(db, q, {});
    expect(await runOnce(db, { queues: [q], workerId: "w1", log: silent })).toBe(1);
    const job = await getJob(db, id);
    expect(job).toMatchObject({ status: "queued", attempts: 1 });
    expect(job!.lastError).toBe(`No handler is registered for queue "${q}" in worker w1.`);
  });

  it("runOnce by default claims only queues that have a handler", async () => {
    const q = queueName();
    const id = await enqueue(db, q, {});
    expect(await runOnce(db, { log: silent })).toBe(0);
    expect(await getJob(db, id)).toMatchObject({ status: "queued", attempts: 0 });
  });

  it("runOnce times a job out and aborts its signal", async () => {
    const q = queueName();
    const id = await enqueue(db, q, {});
    let aborted = false;
    await withHandler(
      q,
      (_payload, { signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
      () => runOnce(db, { queues: [q], jobTimeoutMs: 50, log: silent }),
    );
    expect(aborted).toBe(true);
    expect(await getJob(db, id)).toMatchObject({ status: "queued", lastError: "The job did not finish within 50 ms." });
  });

  it("startWorker runs a job as soon as notify() is called, and stops", async () => {
    const q = queueName();
    let ran!: () => void;
    const done = new Promise<void>((resolve) => (ran = resolve));
    await withHandler(
      q,
      async () => ran(),
      async () => {
        // A poll interval far longer than the test: only notify() can explain a prompt run.
        const worker = startWorker({ db, pollMs: 10 * MINUTE, log: silent });
        try {
          await new Promise((r) => setTimeout(r, 50));
          const id = await enqueue(db, q, {});
          notify();
          await done;
          await worker.stop();
          expect(await getJob(db, id)).toMatchObject({ status: "completed" });
        } finally {
          await worker.stop();
        }
      },
    );
  });

  it("startWorker stops when its AbortSignal fires and refuses a job timeout past the visibility timeout", async () => {
    const controller = new AbortController();
    const worker = startWorker({ db, pollMs: 20, signal: controller.signal, log: silent });
    controller.abort();
    await worker.stop();
    expect(() => startWorker({ db, visibilityTimeoutMs: 1_000, jobTimeoutMs: 1_000 })).toThrow(RangeError);
  });

  it.runIf(name === "postgres")("4 concurrent workers run each of 200 jobs exactly once", async () => {
    const q = queueName();
    await db.exec(`
      create schema if not exists jobs_test;
      create table jobs_test.runs (job_id bigint not null, worker text not null);
    `);
    const ids = await db.transaction(async (tx) => {
      const out: number[] = [];
      for (let i = 0; i < 200; i++) out.push(await enqueue(tx, q, { i }));
      return out;
    });

    // Separate pools, as separate worker processes would have.
    const workers = [1, 2, 3, 4].map((n) => ({ id: `w${n}`, db: openPostgres(t.url!, 3) }));
    try {
      await withHandler(
        q,
        async (_payload, { db: wdb, job }) => {
          await wdb.query("insert into jobs_test.runs (job_id, worker) values ($1, $2)", [job.id, job.lockedBy]);
        },
        () =>
          Promise.all(
            workers.map(async (w) => {
              while ((await runOnce(w.db, { queues: [q], workerId: w.id, batch: 5, log: silent })) > 0) {
                /* drain */
              }
            }),
          ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.db.close()));
    }

    const { rows } = await db.query<{ total: number; distinct_jobs: number; workers: number }>(
      "select count(*)::int as total, count(distinct job_id)::int as distinct_jobs, count(distinct worker)::int as workers from jobs_test.runs",
    );
    expect(rows[0]).toMatchObject({ total: 200, distinct_jobs: 200 });
    expect(rows[0]!.workers).toBeGreaterThan(1);
    const status = await db.query<{ status: string; attempts: number; n: number }>(
      "select status, attempts, count(*)::int as n from public.jobs where id = any($1::bigint[]) group by 1, 2",
      [ids],
    );
    expect(status.rows).toEqual([{ status: "completed", attempts: 1, n: 200 }]);
  });
});
