import "server-only";
import type { Database } from "@/lib/db/types";
import { toStorableJson } from "@/lib/schemas/safe-text";

/**
 * The call-log row is written by the verification function (so counters and log never
 * disagree), but the answer's status, latency and summary exist only after the handler runs.
 * Writing them per request would be a second round trip on the hot path, so they are buffered
 * here and written in one statement per batch, off the request path. A crash loses at most one
 * batch of these details (the row itself, and every counter, are already committed).
 *
 * Each app process (server.mjs runs several with WEB_CONCURRENCY) has its own buffer: a
 * completion updates only its own row, by id, so processes never touch each other's rows.
 * Endpoints whose answer is known at verification (`logOnce`: ping) send no completion at all.
 */

export interface CallCompletion {
  callId: number;
  /**
   * When the verification ran, per this process's clock (ms since the epoch), close to the row's
   * created_at. The update bounds created_at with it, so a log partitioned by created_at (issue
   * 14, branch scale-log) is searched in the partitions around that time only.
   */
  at: number;
  status: number;
  latencyMs: number;
  summary: Record<string, unknown> | null;
  errorCode: string | null;
}

const FLUSH_EVERY_MS = 200;
const FLUSH_AT = 500;

interface Buffer {
  items: CallCompletion[];
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  db: () => Promise<Database>;
}

const holder = globalThis as unknown as { __llaveroCallLog?: Buffer };

export function configureCallLog(db: () => Promise<Database>): void {
  if (!holder.__llaveroCallLog) {
    holder.__llaveroCallLog = { items: [], timer: null, flushing: null, db };
    // A stopping process writes what it holds (best effort: server.mjs exits once its
    // connections close, and a kill -9 loses at most one batch of details, never a row).
    process.once("SIGTERM", () => {
      void flushCallLog().finally(() => {
        // A listener suppresses SIGTERM's default exit: restore it when nobody else handles it.
        if (process.listenerCount("SIGTERM") === 0) process.kill(process.pid, "SIGTERM");
      });
    });
  }
  holder.__llaveroCallLog.db = db;
}

export function recordCompletion(c: CallCompletion): void {
  const buf = holder.__llaveroCallLog;
  if (!buf) return;
  buf.items.push(c);
  if (buf.items.length >= FLUSH_AT) void flushCallLog();
  else buf.timer ??= setTimeout(() => void flushCallLog(), FLUSH_EVERY_MS);
}

/**
 * How far a row's created_at (the database's clock) may be from `at` (the app's clock): the
 * clocks' skew plus the wait for a pooled connection. Generous, as a completion outside it is
 * lost (it would only lose details, never the row).
 *
 * The bound is per row (each completion's own `at`), not one range for the batch: with a batch
 * range PostgreSQL planned a scan of every row in the range through the created_at index and a
 * hash join (37,000 rows read for 300 updated, measured); per row it keeps the nested loop on
 * the primary key, and a partitioned table can prune per row at run time.
 */
export const CLOCK_MARGIN_MS = 3_600_000;

export const COMPLETE_SQL = `
  update public.api_calls c
     set status = v.status, latency_ms = v.latency_ms, summary = v.summary,
         error_code = coalesce(c.error_code, v.error_code)
    from unnest($1::bigint[], $2::smallint[], $3::int[], $4::jsonb[], $5::text[], $6::timestamptz[]) as v(id, status, latency_ms, summary, error_code, at)
   where c.id = v.id and c.created_at between v.at - $7::interval and v.at + $7::interval
     -- The id list and the batch's earliest bound as plain parameters: the planner prunes the
     -- day partitions at plan time and probes the (id, created_at) key of one or two of them.
     -- Without them an update by id joined a scan of every partition (1.6 s a batch at 1M rows).
     and c.id = any($1::bigint[]) and c.created_at >= $8::timestamptz`;

/** COMPLETE_SQL's parameters for a batch (exported for the bench, which times the same statement). */
export function completionParams(items: CallCompletion[]): unknown[] {
  const earliest = Math.min(...items.map((i) => i.at));
  return [
    items.map((i) => i.callId),
    items.map((i) => i.status),
    items.map((i) => Math.round(i.latencyMs)),
    items.map((i) => (i.summary ? toStorableJson(i.summary) : null)),
    items.map((i) => i.errorCode),
    items.map((i) => new Date(i.at)),
    `${CLOCK_MARGIN_MS} milliseconds`,
    new Date(earliest - CLOCK_MARGIN_MS),
  ];
}

async function writeCompletions(db: Database, items: CallCompletion[]): Promise<void> {
  await db.query(COMPLETE_SQL, completionParams(items));
}

export async function flushCallLog(): Promise<void> {
  const buf = holder.__llaveroCallLog;
  if (!buf) return;
  if (buf.timer) {
    clearTimeout(buf.timer);
    buf.timer = null;
  }
  await buf.flushing;
  const items = buf.items.splice(0);
  if (items.length === 0) return;
  buf.flushing = (async () => {
    const db = await buf.db();
    try {
      await writeCompletions(db, items);
    } catch {
      // One bad row must not cost the others their details: retry them one by one.
      let failed = 0;
      for (const item of items) await writeCompletions(db, [item]).catch(() => failed++);
      if (failed > 0) console.error(`call log: could not record ${failed} of ${items.length} completions`);
    } finally {
      buf.flushing = null;
    }
  })();
  await buf.flushing;
}
