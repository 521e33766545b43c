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

interface GroupedRow {
  g: number;
  day: string | null;
  key_id: string | null;
  status_class: DailyPoint["status_class"] | null;
  endpoint: string | null;
  error_code: string | null;
  calls: number;
  errors: number;
  admitted: number;
}

// grouping(day, key_id, status_class, endpoint, error_code): a bit is set for each column the
// row is NOT grouped by, the first argument being the highest bit.
const SET_DAILY = 0b00011;
const SET_ENDPOINT = 0b11101;
const SET_KEY = 0b10111;
const SET_ERROR_CODE = 0b11110;
const TOP = 10;

const byCallsThen = (a: { calls: number }, b: { calls: number }, ka: string, kb: string) => b.calls - a.calls || ka.localeCompare(kb);

/** Splits the usage summary's one grouping-sets result into its four lists (shapes as the page reads them). */
function splitGroupingSets(rows: readonly GroupedRow[]) {
  const daily: DailyPoint[] = rows
    .filter((r) => r.g === SET_DAILY)
    .map((r) => ({ day: r.day!, key_id: r.key_id!, status_class: r.status_class!, calls: r.calls }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.key_id.localeCompare(b.key_id) || a.status_class.localeCompare(b.status_class));
  const endpoints = rows
    .filter((r) => r.g === SET_ENDPOINT)
    .map((r) => ({ endpoint: r.endpoint!, calls: r.calls, errors: r.errors }))
    .sort((a, b) => byCallsThen(a, b, a.endpoint, b.endpoint))
    .slice(0, TOP);
  const perKey = rows.filter((r) => r.g === SET_KEY).map((r) => ({ key_id: r.key_id!, attempts: r.calls, admitted: r.admitted }));
  const codes = rows
    .filter((r) => r.g === SET_ERROR_CODE && r.error_code !== "")
    .map((r) => ({ error_code: r.error_code!, calls: r.calls }))
    .sort((a, b) => byCallsThen(a, b, a.error_code, b.error_code))
    .slice(0, TOP);
  return { daily, endpoints, perKey, codes };
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
    // One pass over the range for every figure the page shows: the daily series, the top
    // endpoints, attempts and admitted calls per key (lib/usage/definitions.ts: a row is refused
    // when its error code is one of verify_api_call's refusals) and the top error codes. Four
    // statements each rebuilt the combined rows; at 90 days and 1M calls that was over the
    // 300 ms budget (docs/performance.md). grouping() tells the sets apart.
    const grouped = await tx.query<GroupedRow>(
      `${COMBINED}
       select grouping(day, key_id, status_class, endpoint, error_code)::int as g,
              day::text as day, key_id, status_class, endpoint, error_code, sum(calls)::int as calls,
              coalesce(sum(calls) filter (where status_class <> 'success'), 0)::int as errors,
              coalesce(sum(calls) filter (where error_code <> all($6::text[])), 0)::int as admitted
         from combined
        group by grouping sets ((day, key_id, status_class), (endpoint), (key_id), (error_code))`,
      [...params, REFUSAL_CODES],
    );
    const { daily, endpoints, perKey, codes } = splitGroupingSets(grouped.rows);
    const used = usage.rows[0]?.calls ?? 0;
    const success = daily.filter((d) => d.status_class === "success").reduce((a, d) => a + d.calls, 0);
    const total = daily.reduce((a, d) => a + d.calls, 0);
    const counts = new Map(perKey.map((r) => [r.key_id, r]));
    const admitted = perKey.reduce((a, r) => a + r.admitted, 0);
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
      daily,
      endpoints,
      error_codes: codes,
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
