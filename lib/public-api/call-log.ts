import "server-only";
import type { Database } from "@/lib/db/types";
import { toStorableJson } from "@/lib/schemas/safe-text";

/**
 * The call-log row is written by the verification function (so counters and log never
 * disagree), but the answer's status, latency and summary exist only after the handler runs.
 * Writing them per request would be a second round trip on the hot path, so they are buffered
 * here and written in one statement per batch, off the request path. A crash loses at most one
 * batch of these details (the row itself, and every counter, are already committed).
 */

export interface CallCompletion {
  callId: number;
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
  holder.__llaveroCallLog ??= { items: [], timer: null, flushing: null, db };
  holder.__llaveroCallLog.db = db;
}

export function recordCompletion(c: CallCompletion): void {
  const buf = holder.__llaveroCallLog;
  if (!buf) return;
  buf.items.push(c);
  if (buf.items.length >= FLUSH_AT) void flushCallLog();
  else buf.timer ??= setTimeout(() => void flushCallLog(), FLUSH_EVERY_MS);
}

export const COMPLETE_SQL = `
  update public.api_calls c
     set status = v.status, latency_ms = v.latency_ms, summary = v.summary,
         error_code = coalesce(c.error_code, v.error_code)
    from unnest($1::bigint[], $2::smallint[], $3::int[], $4::jsonb[], $5::text[]) as v(id, status, latency_ms, summary, error_code)
   where c.id = v.id
     -- changed(scale-log): the call log is partitioned by day on created_at and its key is
     -- (id, created_at). By id alone this joined a scan of every partition (1.6 s a batch at
     -- 1M rows); the id list and a lower bound on created_at ($6, a parameter so the planner
     -- prunes to the last day's partitions) make it an index scan of one or two partitions.
     and c.id = any($1::bigint[]) and c.created_at >= $6`;

/**
 * How far back a completion's row may be: a row is written by the verification a few
 * milliseconds before its completion is queued, and batches flush within a second, so a day is
 * slack for any clock skew between app and database. changed(scale-log)
 */
export const COMPLETION_WINDOW_MS = 86_400_000;

async function writeCompletions(db: Database, items: CallCompletion[]): Promise<void> {
  await db.query(COMPLETE_SQL, [
    items.map((i) => i.callId),
    items.map((i) => i.status),
    items.map((i) => Math.round(i.latencyMs)),
    items.map((i) => (i.summary ? toStorableJson(i.summary) : null)),
    items.map((i) => i.errorCode),
    new Date(Date.now() - COMPLETION_WINDOW_MS), // changed(scale-log)
  ]);
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
