// No "server-only": the maintenance loop runs in scripts/worker.ts too.
import type { Database } from "@/lib/db/types";
import { IDEMPOTENCY_TTL_HOURS } from "./idempotency-header";

/**
 * How long a public.api_idempotency row is kept, in milliseconds: its replay window
 * (IDEMPOTENCY_TTL_HOURS, 24 h: lib/public-api/idempotency.ts replays an answer only while its
 * row is younger, measured by the database's clock) plus one hour. The hour covers a process whose
 * clock runs ahead of the database's, so the purge can never take an answer a retry may still
 * be owed; a row between 24 and 25 hours old is already dead (the next call with its key drops it).
 */
export const IDEMPOTENCY_RETENTION_MS = (IDEMPOTENCY_TTL_HOURS + 1) * 3_600_000;

/** Rows deleted per statement: keeps each delete's locks and WAL small on a busy table. */
const BATCH = 5_000;

/**
 * Deletes idempotency rows created before `now - IDEMPOTENCY_RETENTION_MS` (indexed on
 * created_at, migration 20261130000600). Without it, a row went only when the same API key made
 * its next idempotent call, so a key that stopped calling kept its answers forever.
 *
 * Safe with several processes: rows are taken with `for update skip locked`, so the purge never
 * waits on a row another transaction holds (a request's own clean-up of the same key, or a
 * second process purging) and two purges split the rows instead of queueing or deadlocking; a
 * skipped row goes on a later pass. Returns the number of rows deleted.
 */
export async function purgeIdempotencyRows(db: Database, now = new Date(), batch = BATCH): Promise<number> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS);
  let total = 0;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `with doomed as (
         select key_id, idempotency_key from public.api_idempotency
          where created_at < $1 order by created_at limit $2 for update skip locked
       ), gone as (
         delete from public.api_idempotency a using doomed d
          where a.key_id = d.key_id and a.idempotency_key = d.idempotency_key returning 1
       )
       select count(*)::int as n from gone`,
      [cutoff, batch],
    );
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < batch) return total;
  }
}
