import type { Database } from "@/lib/db/types";

export interface TrafficOptions {
  teamId: string;
  keyIds: string[];
  days: number;
  calls: number;
  /** 0..1: the same seed gives the same traffic. */
  seed?: number;
  /** The team's plan quota, so this month's calls past it are recorded as overage. */
  monthlyQuota?: number;
  /** Rows per INSERT; bounded so PGlite's single connection never holds one huge statement. */
  batch?: number;
}

/**
 * Realistic-looking history for demos and scale tests, generated inside the database: more
 * traffic on recent days and weekdays, busier keys and quieter ones, mostly validate calls, a
 * few percent of client errors and refusals. Counters (key totals, this month's team usage) are
 * recomputed from the rows afterwards so they agree with the log exactly.
 */
export async function seedTraffic(db: Database, o: TrafficOptions, onProgress?: (done: number) => void): Promise<void> {
  const batch = o.batch ?? 100_000;
  // Day partitions for the whole span first, so the rows do not pile up in the default partition.
  await db.query("select public.ensure_api_call_partitions(((now() at time zone 'utc')::date - ($1::float8 + 3)::int), (now() at time zone 'utc')::date + 7)", [o.days]);
  await db.query("select setseed($1)", [o.seed ?? 0.42]);
  for (let done = 0; done < o.calls; done += batch) {
    const n = Math.min(batch, o.calls - done);
    await db.query(
      `with r as (
         -- One row of independent draws per call; everything below derives from them.
         select random() as r_day, random() as r_weekend, random() as r_key, random() as r_endpoint,
                random() as r_status, random() as r_misc
           from generate_series(1, $2)
       ), shaped as (
         select r.*,
                -- Recent days weigh more (growth); weekends carry about half the traffic.
                date_trunc('second', now() - make_interval(secs => 60 + pow(r_day, 1.6) * $3 * 86400)) as at0,
                case when r_endpoint < 0.6 then '/api/public/validate' when r_endpoint < 0.85 then '/api/public/ping' else '/api/public/audit' end as endpoint,
                case when r_status < 0.92 then 200 when r_status < 0.95 then 400 when r_status < 0.98 then 429 when r_status < 0.99 then 401 else 403 end as status
           from r
       )
       insert into public.api_calls (team_id, key_id, created_at, request_id, endpoint, method, admitted, metered, status, error_code, latency_ms, ip, user_agent, summary)
       select $1,
              ($4::uuid[])[1 + floor(pow(r_key, 2) * cardinality($4::uuid[]))::int],
              case when extract(isodow from at0) >= 6 and r_weekend < 0.5 then at0 - interval '2 days' else at0 end,
              'seed-' || gen_random_uuid(), endpoint, case when endpoint = '/api/public/validate' then 'POST' else 'GET' end,
              status in (200, 400), status in (200, 400) and endpoint <> '/api/public/ping',
              status,
              case status when 400 then 'invalid_request' when 429 then 'rate_limited' when 401 then 'key_expired' when 403 then 'insufficient_scope' end,
              4 + (r_misc * 60)::int, ('203.0.113.' || (1 + (r_misc * 250)::int))::inet, 'seed/1.0',
              -- Refused calls never reached the handler, so they have no summary.
              case when status not in (200, 202) then null else case endpoint
                when '/api/public/validate' then jsonb_build_object('rfc', 'GODE561231GR8', 'valid', r_misc < 0.8)
                when '/api/public/audit' then jsonb_build_object('business_id', 'place-' || (r_misc * 40)::int, 'score', (30 + r_misc * 60)::int)
              end end
         from shaped`,
      [o.teamId, n, o.days, o.keyIds],
    );
    onProgress?.(done + n);
  }
  await recountTraffic(db, o.teamId, o.monthlyQuota);
}

/**
 * Recomputes the team's counters from its call log (key totals and this month's uses, the
 * team's usage this month and its overage past `monthlyQuota`), after rows were written
 * around the verification function (seeding, imports).
 */
export async function recountTraffic(db: Database, teamId: string, monthlyQuota?: number): Promise<void> {
  await db.query(
    `update public.api_keys k set
        uses_total = c.total, uses_month = c.month_calls,
        usage_month = date_trunc('month', now() at time zone 'utc')::date,
        last_used_at = c.last_at, last_used_ip = '203.0.113.7'
       from (select key_id, count(*) filter (where admitted) as total,
                    count(*) filter (where admitted and created_at >= date_trunc('month', now() at time zone 'utc') at time zone 'utc') as month_calls,
                    max(created_at) as last_at
               from public.api_calls where team_id = $1 group by key_id) c
      where k.id = c.key_id`,
    [teamId],
  );
  await db.query(
    `insert into public.team_usage (team_id, month, calls, overage)
     select $1, date_trunc('month', now() at time zone 'utc')::date, count(*), greatest(0, count(*) - $2)
       from public.api_calls where team_id = $1 and metered and created_at >= date_trunc('month', now() at time zone 'utc') at time zone 'utc'
     on conflict (team_id, month) do update set calls = excluded.calls, overage = excluded.overage`,
    [teamId, monthlyQuota ?? 2_147_483_647],
  );
}
