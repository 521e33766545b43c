-- The call log, range-partitioned by day on created_at (docs/decisions.md says why daily).
--
-- * Partitions are plain tables named api_calls_pYYYYMMDD holding [day, day + 1) in UTC. They are
--   created ahead by public.ensure_api_call_partitions (this migration, then every maintenance
--   run of the app and the worker); a default partition catches any row whose day has no
--   partition yet, so an insert never fails because upkeep is late, and the next upkeep moves
--   those rows into their day's partition.
-- * Retention drops whole day partitions once they are past the cutoff and the rollup
--   (usage_daily) has counted them: no row-by-row DELETE, no bloat, no long vacuum.
-- * Row-level security is on the parent (the policy every query goes through). Each partition
--   also has RLS enabled with no policy and no grants to anon/authenticated, so a partition
--   queried directly shows nothing to them, even on Supabase, whose default privileges grant
--   new tables in `public` to anon and authenticated.
-- * The primary key is (id, created_at): a partitioned table's unique keys must include the
--   partition key. ids stay unique (one identity sequence); lookups by id alone still use the
--   key's index in each partition.

alter table public.api_calls rename to api_calls_unpartitioned;
alter index public.api_calls_pkey rename to api_calls_unpartitioned_pkey;
alter index public.api_calls_key_time_idx rename to api_calls_unpartitioned_key_time_idx;
alter index public.api_calls_team_time_idx rename to api_calls_unpartitioned_team_time_idx;
alter index public.api_calls_time_idx rename to api_calls_unpartitioned_time_idx;
-- The identity sequence keeps its values: the new table's sequence is set past them below.
alter sequence public.api_calls_id_seq rename to api_calls_unpartitioned_id_seq;

create table public.api_calls (
  id bigint generated always as identity,
  team_id uuid not null references public.teams (id) on delete cascade,
  key_id uuid not null references public.api_keys (id) on delete cascade,
  created_at timestamptz not null default now(),
  request_id text not null,
  endpoint text not null,
  method text not null,
  -- Admitted calls bump the key's counters; metered ones also the team's quota. Refused calls
  -- are logged with their error code and counted nowhere.
  admitted boolean not null,
  metered boolean not null,
  -- Filled in after the handler answers, from an in-process batch (see lib/public-api/call-log.ts).
  status smallint,
  error_code text,
  latency_ms integer,
  ip inet,
  user_agent text,
  summary jsonb,
  primary key (id, created_at)
) partition by range (created_at);
create index api_calls_key_time_idx on public.api_calls (key_id, created_at desc, id desc);
create index api_calls_team_time_idx on public.api_calls (team_id, created_at desc, id desc);
create index api_calls_time_idx on public.api_calls (created_at);

alter table public.api_calls enable row level security;
create policy api_calls_select on public.api_calls for select to authenticated using (
  team_id in (select private.admin_team_ids()) or key_id in (select private.own_key_ids())
);
revoke all on public.api_calls from public, anon, authenticated;
grant select on public.api_calls to authenticated;

create table public.api_calls_default partition of public.api_calls default;

/*
 * A partition's own protections: RLS on with no policy (deny all to roles subject to RLS) and
 * no privileges for the API roles. Reads go through the parent, whose policy applies.
 */
create function private.lock_down_api_call_partition(p_table regclass) returns void
language plpgsql set search_path = '' as $$
begin
  execute format('alter table %s enable row level security', p_table);
  execute format('revoke all on %s from public, anon, authenticated', p_table);
end
$$;
revoke execute on function private.lock_down_api_call_partition(regclass) from public, anon, authenticated;
select private.lock_down_api_call_partition('public.api_calls_default');

/*
 * Makes sure day partitions exist for every day from p_from to p_to (UTC dates, inclusive) and
 * for every day that has rows in the default partition, moving those rows into their partition.
 * Returns how many partitions it created. Idempotent; several processes may run it at once
 * (a transaction-scoped advisory lock lets one through at a time, and an existing partition is
 * skipped). A partition is built as a plain table, filled, locked down, then ATTACHed, which
 * takes only a SHARE UPDATE EXCLUSIVE lock on the parent (inserts keep flowing).
 */
create function public.ensure_api_call_partitions(p_from date, p_to date) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_day date;
  v_name text;
  v_created integer := 0;
begin
  perform pg_advisory_xact_lock(7146233003);
  for v_day in
    select d::date from generate_series(p_from, p_to, interval '1 day') d
    union
    select distinct (created_at at time zone 'utc')::date from public.api_calls_default
    order by 1
  loop
    v_name := 'api_calls_p' || to_char(v_day, 'YYYYMMDD');
    continue when to_regclass('public.' || v_name) is not null;
    execute format('create table public.%I (like public.api_calls including defaults including constraints)', v_name);
    perform private.lock_down_api_call_partition(('public.' || v_name)::regclass);
    -- Rows that landed in the default partition while this day had none (usually none). The
    -- lock holds back only inserts routed to the default partition until the ATTACH, which
    -- checks that the default partition has no row of this day left.
    lock table public.api_calls_default in share row exclusive mode;
    execute format(
      'with moved as (delete from public.api_calls_default where created_at >= $1 and created_at < $2 returning *)
       insert into public.%I select * from moved', v_name)
      using (v_day::timestamp at time zone 'utc'), ((v_day + 1)::timestamp at time zone 'utc');
    execute format('alter table public.api_calls attach partition public.%I for values from (%L) to (%L)',
      v_name, (v_day::timestamp at time zone 'utc'), ((v_day + 1)::timestamp at time zone 'utc'));
    v_created := v_created + 1;
  end loop;
  return v_created;
end
$$;
revoke execute on function public.ensure_api_call_partitions(date, date) from public, anon, authenticated;

/*
 * Retention by partition: drops every day partition that ends at or before
 * least(p_before, rollup watermark), so a day goes only once the charts have counted it. Rows
 * in the day that contains p_before stay until that whole day is past (retention is whole UTC
 * days: at most one day longer than asked). Returns the number of partitions dropped; stops
 * early (the next run goes on) if the parent stays locked by others for half a second.
 */
create function public.drop_expired_api_call_partitions(p_before timestamptz) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_limit timestamptz;
  v_names text[];
  v_lock_timeout text := current_setting('lock_timeout');
begin
  perform pg_advisory_xact_lock(7146233003);
  v_limit := least(p_before, (select rolled_up_to from public.usage_rollup_state));
  -- The name carries the day; the partition holds [day, day + 1).
  select array_agg(format('public.%I', c.relname) order by c.relname) into v_names
    from pg_catalog.pg_inherits i
    join pg_catalog.pg_class c on c.oid = i.inhrelid
   where i.inhparent = 'public.api_calls'::regclass and c.relname ~ '^api_calls_p[0-9]{8}$'
     and (to_date(substr(c.relname, 12), 'YYYYMMDD') + 1)::timestamp at time zone 'utc' <= v_limit;
  if v_names is null then
    return 0;
  end if;
  -- One DROP for all of them: each drop of a partition rebuilds the parent's partition
  -- descriptor, so dropping a month one by one costs a month of rebuilds.
  -- Dropping needs an ACCESS EXCLUSIVE lock on the parent for a moment. Waiting for it behind a
  -- long read (an export) would queue every insert behind us, so wait at most half a second and
  -- leave it to the next maintenance run.
  begin
    perform set_config('lock_timeout', '500ms', true);
    execute 'drop table ' || array_to_string(v_names, ', ');
  exception when lock_not_available then
    return 0;
  end;
  perform set_config('lock_timeout', v_lock_timeout, true);
  return cardinality(v_names);
end
$$;
revoke execute on function public.drop_expired_api_call_partitions(timestamptz) from public, anon, authenticated;

-- The row-by-row purge now only has the default partition left to clean (rows older than the
-- cutoff that upkeep has not moved yet); whole days go with drop_expired_api_call_partitions.
create or replace function public.purge_call_history(p_before timestamptz, p_batch integer default 50000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_rows integer;
begin
  -- Never past the rollup watermark: a row is only dropped once the charts have counted it.
  delete from public.api_calls_default where id in (
    select id from public.api_calls_default
     where created_at < least(p_before, (select rolled_up_to from public.usage_rollup_state))
     order by created_at limit p_batch
  );
  get diagnostics v_rows = row_count;
  return v_rows;
end
$$;
revoke execute on function public.purge_call_history(timestamptz, integer) from public, anon, authenticated;

-- Move the existing rows: a partition for every day that has rows, and today and the next days.
do $$
declare
  v_today date := (now() at time zone 'utc')::date;
  v_day date;
begin
  for v_day in select distinct (created_at at time zone 'utc')::date from public.api_calls_unpartitioned loop
    perform public.ensure_api_call_partitions(v_day, v_day);
  end loop;
  perform public.ensure_api_call_partitions(v_today - 1, v_today + 7);
end
$$;

insert into public.api_calls (id, team_id, key_id, created_at, request_id, endpoint, method, admitted, metered, status, error_code, latency_ms, ip, user_agent, summary)
overriding system value
select id, team_id, key_id, created_at, request_id, endpoint, method, admitted, metered, status, error_code, latency_ms, ip, user_agent, summary
  from public.api_calls_unpartitioned;

select setval(pg_get_serial_sequence('public.api_calls', 'id'),
              greatest((select last_value from public.api_calls_unpartitioned_id_seq), coalesce((select max(id) from public.api_calls_unpartitioned), 1)));

drop table public.api_calls_unpartitioned;
