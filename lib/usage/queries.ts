import "server-only";
import { asUser } from "@/lib/db/as-user";
import type { Queryable } from "@/lib/db/types";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getPlan, quotaResetsAt } from "@/lib/plans";
import { REFUSAL_CODES } from "./definitions";
import { projectMonthEnd } from "./projection";
import type { CallPage, CallRow, DailyPoint, HistoryQuery, UsageSummary } from "./usage.schema";

export interface Viewer {
  userId: string;
  teamId: string;
}

/**
 * Everything here runs as the signed-in user: row-level security limits members to their own
 * keys' usage while owners and admins see the whole team. Aggregates read the daily rollup up to
 * its watermark and the raw call log after it, so they are exact and stay cheap at any size.
 */

function rangeStart(days: number, now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  return d.toISOString().slice(0, 10);
}

// $1 team, $2 first day (date), $3 key or null, $4 the range's first instant, $5 the watermark
// as read just before (text). The raw tail starts at the rollup watermark or $4, whichever is
// later.
const COMBINED = `
  with combined as (
    select u.day, u.key_id, u.endpoint, u.status_class, u.error_code, u.calls
      from public.usage_daily u
     where u.team_id = $1 and u.day >= $2::date and ($3::uuid is null or u.key_id = $3)
    union all
    select (c.created_at at time zone 'utc')::date, c.key_id, c.endpoint, private.status_class(c.status, c.admitted),
           coalesce(c.error_code, ''), 1
      from public.api_calls c
     where c.team_id = $1 and ($3::uuid is null or c.key_id = $3)
       -- The watermark is read in this same statement (one snapshot), so a rollup committing
       -- between two statements cannot count a row twice; as an init plan it still drives the index.
       and c.created_at >= greatest((select rolled_up_to from public.usage_rollup_state), $4::timestamptz)
       -- Implied by the line above (the watermark only moves forward), but a plain parameter:
       -- the planner prunes the call log's day partitions with it, where the init plan above
       -- would leave every partition to open and then skip (seconds at 10M rows, ~100 days).
       and c.created_at >= $5::timestamptz
  )`;

export async function usageSummary(v: Viewer, opts: { days: number; keyId?: string }, now = new Date()): Promise<UsageSummary> {
  const from = rangeStart(opts.days, now);
  return asUser(v.userId, async (tx) => {
    const mark = await tx.query<{ mark: string }>("select greatest(rolled_up_to, $1::timestamptz)::text as mark from public.usage_rollup_state", [
      new Date(`${from}T00:00:00.000Z`),
    ]);
    const params = [v.teamId, from, opts.keyId ?? null, new Date(`${from}T00:00:00.000Z`), mark.rows[0]?.mark ?? "-infinity"];
    const team = await tx.query<{ plan: string }>("select plan from public.teams where id = $1", [v.teamId]);
    if (!team.rows[0]) throw new AppError("not_found", "Team not found.");
    const plan = getPlan(team.rows[0].plan);
    if (opts.keyId) await assertKeyVisible(tx, v.teamId, opts.keyId);

    const usage = await tx.query<{ calls: number; overage: number }>(
      "select calls, overage from public.team_usage where team_id = $1 and month = date_trunc('month', now() at time zone 'utc')::date",
      [v.teamId],
    );
    const keys = await tx.query<{ id: string; name: string; prefix: string; last4: string; previous: boolean }>(
      "select id, name, prefix, last4, replaced_by_id is not null as previous from public.api_keys where team_id = $1 and ($2::uuid is null or id = $2) order by created_at",
      [v.teamId, opts.keyId ?? null],
    );
    const daily = await tx.query<DailyPoint>(
      `${COMBINED} select day::text as day, key_id, status_class, sum(calls)::int as calls from combined group by 1, 2, 3 order by 1, 2, 3`,
      params,
    );
    const endpoints = await tx.query<{ endpoint: string; calls: number; errors: number }>(
      `${COMBINED} select endpoint, sum(calls)::int as calls, (sum(calls) filter (where status_class <> 'success'))::int as errors
         from combined group by 1 order by 2 desc limit 10`,
      params,
    );
    // Attempts and admitted calls per key (lib/usage/definitions.ts): a row is refused when its
    // error code is one of verify_api_call's refusals.
    const perKey = await tx.query<{ key_id: string; attempts: number; admitted: number }>(
      `${COMBINED} select key_id, sum(calls)::int as attempts, coalesce(sum(calls) filter (where error_code <> all($6::text[])), 0)::int as admitted
         from combined group by 1`,
      [...params, REFUSAL_CODES],
    );
    const codes = await tx.query<{ error_code: string; calls: number }>(
      `${COMBINED} select error_code, sum(calls)::int as calls from combined where error_code <> '' group by 1 order by 2 desc limit 10`,
      params,
    );
    const used = usage.rows[0]?.calls ?? 0;
    const success = daily.rows.filter((d) => d.status_class === "success").reduce((a, d) => a + d.calls, 0);
    const total = daily.rows.reduce((a, d) => a + d.calls, 0);
    const counts = new Map(perKey.rows.map((r) => [r.key_id, r]));
    const admitted = perKey.rows.reduce((a, r) => a + r.admitted, 0);
    return {
      range_days: opts.days,
      from,
      quota: {
        used,
        limit: plan.monthlyCalls,
        overage: usage.rows[0]?.overage ?? 0,
        month: now.toISOString().slice(0, 7),
        projected: projectMonthEnd(used, now),
        resets_at: quotaResetsAt(now).toISOString(),
        overage_allowed: plan.overageAllowed,
        billing_mode: env().STRIPE_SECRET_KEY ? "stripe" : "none",
      },
      keys: keys.rows.map((k) => ({ ...k, attempts: counts.get(k.id)?.attempts ?? 0, admitted: counts.get(k.id)?.admitted ?? 0 })),
      daily: daily.rows,
      endpoints: endpoints.rows.map((e) => ({ ...e, errors: e.errors ?? 0 })),
      error_codes: codes.rows,
      totals: { attempts: total, admitted, refused: total - admitted, success, errors: total - success },
      as_of: now.toISOString(),
    };
  });
}

async function assertKeyVisible(tx: Queryable, teamId: string, keyId: string) {
  const { rows } = await tx.query("select 1 from public.api_keys where id = $1 and team_id = $2", [keyId, teamId]);
  if (!rows[0]) throw new AppError("not_found", "That key does not exist or is not yours to see.");
}

export function encodeCursor(row: { created_us: string; id: number }): string {
  return `${row.created_us}.${row.id}`;
}

/**
 * One page of a key's call history, newest first. The cursor is the last row's exact
 * (created_at in microseconds, id), so pages stay stable while new calls arrive.
 */
export async function callHistory(v: Viewer, keyId: string, q: HistoryQuery): Promise<CallPage> {
  return asUser(v.userId, async (tx) => {
    await assertKeyVisible(tx, v.teamId, keyId);
    return callHistoryPage(tx, keyId, q);
  });
}

export async function callHistoryPage(tx: Queryable, keyId: string, q: HistoryQuery): Promise<CallPage> {
  const [curUs, curId] = q.cursor ? q.cursor.split(".") : [null, null];
  const { rows } = await tx.query<CallRow & { created_us: string }>(
    `select c.id, c.created_at, c.endpoint, c.method, c.status, c.error_code, c.latency_ms, host(c.ip) as ip, c.summary,
            ((extract(epoch from c.created_at) * 1000000)::bigint)::text as created_us
       from public.api_calls c
      where c.key_id = $1
        and ($2::text is null or private.status_class(c.status, c.admitted) = $2)
        and ($3::text is null or c.endpoint = $3)
        and ($4::date is null or c.created_at >= ($4::date)::timestamp at time zone 'utc')
        and ($5::date is null or c.created_at < ($5::date + 1)::timestamp at time zone 'utc')
        and ($6::bigint is null or (c.created_at, c.id) < (timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::bigint))
      order by c.created_at desc, c.id desc
      limit $8`,
    [keyId, q.status ?? null, q.endpoint ?? null, q.from ?? null, q.to ?? null, curUs, curId, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    calls: page.map(({ created_us: _omit, ...r }) => ({ ...r, created_at: new Date(r.created_at).toISOString() })),
    next_cursor: rows.length > q.limit && last ? encodeCursor(last) : null,
  };
}
