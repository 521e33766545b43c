-- Usage analytics that stay fast at millions of calls: a daily rollup of the call log, kept up
-- to a watermark by a background job, plus the raw tail after the watermark at query time.

create index api_calls_time_idx on public.api_calls (created_at);

create table public.usage_daily (
  team_id uuid not null references public.teams (id) on delete cascade,
  key_id uuid not null references public.api_keys (id) on delete cascade,
  day date not null,
  endpoint text not null,
  -- 'success' (2xx, or admitted with its answer not recorded), 'client_error' (4xx), 'server_error' (5xx)
  status_class text not null check (status_class in ('success', 'client_error', 'server_error')),
  error_code text not null default '',
  calls integer not null default 0,
  latency_ms_sum bigint not null default 0,
  primary key (team_id, day, key_id, endpoint, status_class, error_code)
);
create index usage_daily_key_idx on public.usage_daily (key_id, day);

-- One row: everything in api_calls created before `rolled_up_to` is in usage_daily.
create table public.usage_rollup_state (
  id boolean primary key default true check (id),
  rolled_up_to timestamptz not null
);
insert into public.usage_rollup_state (rolled_up_to) values ('-infinity');

alter table public.usage_daily enable row level security;
alter table public.usage_rollup_state enable row level security;

create policy usage_daily_select on public.usage_daily for select to authenticated using (
  team_id in (select private.admin_team_ids()) or key_id in (select private.own_key_ids())
);
create policy usage_rollup_state_select on public.usage_rollup_state for select to authenticated using (true);
revoke all on public.usage_daily, public.usage_rollup_state from anon, authenticated;
grant select on public.usage_daily, public.usage_rollup_state to authenticated;

create function private.status_class(p_status smallint, p_admitted boolean) returns text
language sql immutable as $$
  select case
    when p_status is null then case when p_admitted then 'success' else 'client_error' end
    when p_status >= 500 then 'server_error'
    when p_status >= 400 then 'client_error'
    else 'success' end
$$;
grant execute on function private.status_class(smallint, boolean) to authenticated;

/*
 * Folds the call log from the watermark up to p_until into usage_daily. p_until should trail
 * now() by longer than any call's transaction and its completion batch (a minute is plenty), so
 * every row folded in is committed and has its final status. Safe to run from several processes:
 * a transaction-scoped advisory lock lets one at a time through.
 */
create function public.roll_up_usage(p_until timestamptz) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_from timestamptz;
  v_rows integer;
begin
  perform pg_advisory_xact_lock(7146233002);
  select rolled_up_to into v_from from public.usage_rollup_state for update;
  if p_until <= v_from then
    return 0;
  end if;
  insert into public.usage_daily as u (team_id, key_id, day, endpoint, status_class, error_code, calls, latency_ms_sum)
  select c.team_id, c.key_id, (c.created_at at time zone 'utc')::date, c.endpoint,
         private.status_class(c.status, c.admitted), coalesce(c.error_code, ''), count(*), coalesce(sum(c.latency_ms), 0)
    from public.api_calls c
   where c.created_at >= v_from and c.created_at < p_until
   group by 1, 2, 3, 4, 5, 6
  on conflict (team_id, day, key_id, endpoint, status_class, error_code)
  do update set calls = u.calls + excluded.calls, latency_ms_sum = u.latency_ms_sum + excluded.latency_ms_sum;
  get diagnostics v_rows = row_count;
  update public.usage_rollup_state set rolled_up_to = p_until;
  return v_rows;
end
$$;
revoke execute on function public.roll_up_usage(timestamptz) from public, anon, authenticated;

-- History retention: call-log rows older than the cutoff go; the daily rollup (small) stays.
create function public.purge_call_history(p_before timestamptz, p_batch integer default 50000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_rows integer;
begin
  -- Never past the rollup watermark: a row is only dropped once the charts have counted it.
  delete from public.api_calls where id in (
    select id from public.api_calls
     where created_at < least(p_before, (select rolled_up_to from public.usage_rollup_state))
     order by created_at limit p_batch
  );
  get diagnostics v_rows = row_count;
  return v_rows;
end
$$;
revoke execute on function public.purge_call_history(timestamptz, integer) from public, anon, authenticated;

-- For imports and seeding, which write rows dated before the watermark: recount everything.
create function public.rebuild_usage_rollup(p_until timestamptz) returns integer
language plpgsql security definer set search_path = '' as $$
begin
  perform pg_advisory_xact_lock(7146233002);
  delete from public.usage_daily;
  update public.usage_rollup_state set rolled_up_to = '-infinity';
  return public.roll_up_usage(p_until);
end
$$;
revoke execute on function public.rebuild_usage_rollup(timestamptz) from public, anon, authenticated;
