// No "server-only": the demo seed (scripts/demo-seed.ts) runs it from the command line.
import type { Database, Queryable } from "@/lib/db/types";
import { planLimitsForSql } from "@/lib/plans";
import type { VerifyRequest } from "@/lib/public-api/verify";

/**
 * Replaying calls at chosen times through the real verification (issue 13, item 10).
 *
 * `public.verify_api_call` reads the clock once (`v_now timestamptz := now();`) and everything
 * time-dependent follows from v_now: expiry and rotation grace (key_status), the per-minute
 * window, the month of the quota and of the key's counters, the call-log row's time. To make
 * demo traffic by exactly the product's rules, {@link installTimedVerify} reads the function's
 * current source from the catalog and creates a session-temporary copy (`pg_temp`) whose only
 * difference is `v_now := p_at`. Nothing is added to the schema and the hot path is untouched:
 * the public function is not redefined, and the copy always follows whatever definition the
 * migrations installed last. If the function ever reads the clock differently, the install
 * fails loudly instead of replaying by other rules.
 */
export async function installTimedVerify(tx: Queryable): Promise<void> {
  const { rows } = await tx.query<{ src: string; args: string; result: string }>(
    `select p.prosrc as src, pg_get_function_arguments(p.oid) as args, pg_get_function_result(p.oid) as result
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.proname = 'verify_api_call'`,
  );
  if (rows.length !== 1) throw new Error(`Expected one public.verify_api_call, found ${rows.length}.`);
  const { src, args, result } = rows[0]!;
  const clock = /v_now timestamptz := now\(\);/;
  if (!clock.test(src)) throw new Error("verify_api_call no longer starts with `v_now timestamptz := now();`: update lib/usage/timed-verify.ts.");
  const timed = src.replace(clock, "v_now timestamptz := p_at;");
  if (/\bnow\(\)|current_timestamp|clock_timestamp|statement_timestamp/i.test(timed)) {
    throw new Error("verify_api_call reads the clock somewhere other than v_now: lib/usage/timed-verify.ts cannot replay it at a chosen time.");
  }
  if (timed.includes("$timed$")) throw new Error("verify_api_call's source contains the quoting tag $timed$.");
  await tx.query(
    `create or replace function pg_temp.verify_api_call_at(p_at timestamptz, ${args}) returns ${result}
     language plpgsql set search_path = '' as $timed$${timed}$timed$`,
  );
}

/** One call to replay: what the request carried, and how the endpoint answers if it is admitted. */
export interface TimedCall extends Omit<VerifyRequest, "knownStatus"> {
  at: Date;
  /** The endpoint's answer when admitted (the call log's completion, as lib/public-api/call-log.ts writes it). */
  answer: { status: number; latencyMs: number; summary: Record<string, unknown> | null; errorCode: string | null };
}

export interface ReplayResult {
  admitted: number;
  refused: Record<string, number>;
}

/**
 * Runs the calls, in order of time, through {@link installTimedVerify}'s copy of the verification,
 * a batch per transaction; then completes the admitted rows as the call log does (status,
 * latency, summary). Refused rows keep what the verification wrote: its status and error code,
 * no latency and no summary (the endpoint never ran).
 */
export async function replayCalls(db: Database, calls: readonly TimedCall[], opts: { batch?: number } = {}): Promise<ReplayResult> {
  const batch = opts.batch ?? 2_000;
  const sorted = [...calls].sort((a, b) => a.at.getTime() - b.at.getTime());
  const plans = planLimitsForSql();
  const out: ReplayResult = { admitted: 0, refused: {} };
  for (let i = 0; i < sorted.length; i += batch) {
    const part = sorted.slice(i, i + batch);
    await db.transaction(async (tx) => {
      await installTimedVerify(tx);
      // The lateral call runs once per input row, in the order unnest yields them (the calls' order).
      const { rows } = await tx.query<{ ord: string; outcome: string; call_id: string | null }>(
        `select c.ord::text, v.outcome, v.call_id::text
           from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::inet[], $7::text[], $8::boolean[], $9::text[])
                with ordinality as c(at, key_hash, endpoint, method, scope, ip, ua, metered, request_id, ord)
          cross join lateral pg_temp.verify_api_call_at(c.at, c.key_hash, c.endpoint, c.method, c.scope, c.ip, c.ua, c.metered, $10::jsonb, c.request_id) v
          order by c.ord`,
        [
          part.map((c) => c.at),
          part.map((c) => c.keyHash),
          part.map((c) => c.endpoint),
          part.map((c) => c.method),
          part.map((c) => c.scope),
          part.map((c) => c.ip),
          part.map((c) => c.userAgent),
          part.map((c) => c.metered),
          part.map((c) => c.requestId),
          plans,
        ],
      );
      const done: { id: string; c: TimedCall }[] = [];
      for (const r of rows) {
        const c = part[Number(r.ord) - 1]!;
        if (r.outcome === "ok" && r.call_id) {
          out.admitted++;
          done.push({ id: r.call_id, c });
        } else {
          out.refused[r.outcome] = (out.refused[r.outcome] ?? 0) + 1;
        }
      }
      if (done.length > 0) {
        await tx.query(
          `update public.api_calls c
              set status = v.status, latency_ms = v.latency_ms, summary = v.summary, error_code = coalesce(c.error_code, v.error_code)
             from unnest($1::bigint[], $2::smallint[], $3::int[], $4::jsonb[], $5::text[]) as v(id, status, latency_ms, summary, error_code)
            where c.id = v.id`,
          [
            done.map((d) => d.id),
            done.map((d) => d.c.answer.status),
            done.map((d) => Math.round(d.c.answer.latencyMs)),
            done.map((d) => (d.c.answer.summary ? JSON.stringify(d.c.answer.summary) : null)),
            done.map((d) => d.c.answer.errorCode),
          ],
        );
      }
    });
  }
  return out;
}
