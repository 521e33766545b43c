-- Outgoing webhooks (lib/webhooks): endpoints, messages, per-endpoint deliveries, every attempt,
-- and the markers that make threshold and expiry events fire once. Deliveries are sent by the
-- `webhook.deliver` jobs of public.jobs (one job per attempt).

create table public.webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  url text not null check (char_length(url) between 8 and 2000),
  description text check (description is null or char_length(description) <= 500),
  -- Empty: every event type.
  event_types text[] not null default '{}',
  enabled boolean not null default true,
  disabled_reason text check (disabled_reason in ('user', 'gone', 'failing')),
  disabled_at timestamptz,
  -- Stored in clear because signing needs it; no grant lets a user read these columns.
  secret text not null check (secret like 'whsec_%'),
  previous_secret text check (previous_secret is null or previous_secret like 'whsec_%'),
  previous_secret_expires_at timestamptz,
  -- Start of the current unbroken run of failed attempts; null after any success.
  failing_since timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_endpoints_disabled check (enabled = (disabled_reason is null))
);
create index webhook_endpoints_team_idx on public.webhook_endpoints (team_id);

create table public.webhook_messages (
  id uuid primary key default gen_random_uuid(),
  -- The `webhook-id` header: constant across retries and resends, so receivers can deduplicate.
  event_id text not null unique check (event_id ~ '^msg_[A-Za-z0-9]{10,64}$'),
  team_id uuid not null references public.teams (id) on delete cascade,
  type text not null check (char_length(type) between 1 and 100),
  -- The exact body sent: {type, timestamp, data}.
  payload jsonb not null,
  created_at timestamptz not null default now()
);
create index webhook_messages_team_idx on public.webhook_messages (team_id, created_at desc);

create table public.webhook_deliveries (
  id bigint generated always as identity primary key,
  message_id uuid not null references public.webhook_messages (id) on delete cascade,
  endpoint_id uuid not null references public.webhook_endpoints (id) on delete cascade,
  team_id uuid not null references public.teams (id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'retrying', 'delivered', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  -- Bumped by a resend or replay: a job of an older generation finds nothing to do.
  generation integer not null default 1,
  next_attempt_at timestamptz,
  last_status integer,
  last_latency_ms integer,
  last_response_body text check (last_response_body is null or octet_length(last_response_body) <= 1024),
  last_error text check (last_error is null or char_length(last_error) <= 1000),
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (message_id, endpoint_id)
);
create index webhook_deliveries_endpoint_idx on public.webhook_deliveries (endpoint_id, created_at desc);
create index webhook_deliveries_team_idx on public.webhook_deliveries (team_id, created_at desc);

create table public.webhook_attempts (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references public.webhook_deliveries (id) on delete cascade,
  team_id uuid not null references public.teams (id) on delete cascade,
  attempted_at timestamptz not null default now(),
  status_code integer,
  latency_ms integer,
  response_body text check (response_body is null or octet_length(response_body) <= 1024),
  error text check (error is null or char_length(error) <= 1000)
);
create index webhook_attempts_delivery_idx on public.webhook_attempts (delivery_id, attempted_at);

-- Thresholds the owner adds to the built-in 80 % and 100 %.
create table public.webhook_quota_thresholds (
  team_id uuid not null references public.teams (id) on delete cascade,
  percent integer not null check (percent between 1 and 1000),
  primary key (team_id, percent)
);

-- One row per team, month and threshold: the primary key is what makes each fire once, however
-- many concurrent calls notice the crossing.
create table public.webhook_quota_marks (
  team_id uuid not null references public.teams (id) on delete cascade,
  month date not null,
  percent integer not null,
  created_at timestamptz not null default now(),
  primary key (team_id, month, percent)
);

-- One row per key and expiry date: `key.expiring` fires once (again only if the expiry moves).
create table public.webhook_key_expiring_marks (
  key_id uuid not null references public.api_keys (id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (key_id, expires_at)
);

alter table public.webhook_endpoints enable row level security;
alter table public.webhook_messages enable row level security;
alter table public.webhook_deliveries enable row level security;
alter table public.webhook_attempts enable row level security;
alter table public.webhook_quota_thresholds enable row level security;
alter table public.webhook_quota_marks enable row level security;
alter table public.webhook_key_expiring_marks enable row level security;

revoke all on public.webhook_endpoints, public.webhook_messages, public.webhook_deliveries, public.webhook_attempts,
  public.webhook_quota_thresholds, public.webhook_quota_marks, public.webhook_key_expiring_marks from anon, authenticated;
revoke all on sequence public.webhook_deliveries_id_seq, public.webhook_attempts_id_seq from anon, authenticated;

-- Owners and admins only; members see nothing. Secrets are written by the server's own
-- connection (lib/webhooks/endpoints.ts) and never granted to `authenticated`.
create policy webhook_endpoints_admin on public.webhook_endpoints for all to authenticated
  using (team_id in (select private.admin_team_ids())) with check (team_id in (select private.admin_team_ids()));
create policy webhook_messages_admin on public.webhook_messages for select to authenticated
  using (team_id in (select private.admin_team_ids()));
create policy webhook_deliveries_admin on public.webhook_deliveries for select to authenticated
  using (team_id in (select private.admin_team_ids()));
create policy webhook_attempts_admin on public.webhook_attempts for select to authenticated
  using (team_id in (select private.admin_team_ids()));
create policy webhook_quota_thresholds_admin on public.webhook_quota_thresholds for all to authenticated
  using (team_id in (select private.admin_team_ids())) with check (team_id in (select private.admin_team_ids()));

grant select (id, team_id, url, description, event_types, enabled, disabled_reason, disabled_at,
  previous_secret_expires_at, failing_since, created_by, created_at, updated_at) on public.webhook_endpoints to authenticated;
grant update (url, description, event_types, enabled, disabled_reason, disabled_at, updated_at) on public.webhook_endpoints to authenticated;
grant delete on public.webhook_endpoints to authenticated;
grant select on public.webhook_messages, public.webhook_deliveries, public.webhook_attempts to authenticated;
grant select, insert, delete on public.webhook_quota_thresholds to authenticated;

/*
 * Records an event and fans it out: one message, one delivery per enabled endpoint of the team
 * subscribed to the type (or to everything), and the first `webhook.deliver` job of each, all
 * in the caller's transaction. Callable by the server's connection and, for events a user
 * causes (a key revoked), inside that user's transaction if they belong to the team.
 * `p_endpoint` limits the fan-out to one endpoint whatever its subscription (test events).
 * Returns the message's event id (`msg_…`).
 */
create function private.webhook_emit(p_team uuid, p_type text, p_data jsonb, p_endpoint uuid default null)
returns text
language plpgsql security definer set search_path = '' as $$
declare
  v_event text := 'msg_' || replace(gen_random_uuid()::text, '-', '');
  v_message uuid;
  v_now timestamptz := now();
begin
  insert into public.webhook_messages (event_id, team_id, type, payload)
  values (v_event, p_team, p_type, jsonb_build_object(
    'type', p_type,
    'timestamp', to_char(v_now at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data', coalesce(p_data, '{}'::jsonb)))
  returning id into v_message;
  with d as (
    insert into public.webhook_deliveries (message_id, endpoint_id, team_id, next_attempt_at)
    select v_message, e.id, p_team, v_now
      from public.webhook_endpoints e
     where e.team_id = p_team
       and (p_endpoint is null or e.id = p_endpoint)
       and (p_endpoint is not null or (e.enabled and (cardinality(e.event_types) = 0 or p_type = any (e.event_types))))
    returning id
  )
  insert into public.jobs (queue, payload, dedupe_key)
  select 'webhook.deliver', jsonb_build_object('delivery_id', d.id, 'generation', 1), 'webhook.deliver:' || d.id || ':1:0'
    from d;
  return v_event;
end $$;
revoke all on function private.webhook_emit(uuid, text, jsonb, uuid) from public, anon, authenticated;

-- The callable form: inside a user's transaction the caller must belong to the team.
create function public.emit_webhook_event(p_team uuid, p_type text, p_data jsonb, p_endpoint uuid default null)
returns text
language plpgsql security definer set search_path = '' as $$
begin
  if auth.uid() is not null and private.team_role(p_team) is null then
    raise exception 'not a member of this team' using errcode = '42501';
  end if;
  return private.webhook_emit(p_team, p_type, p_data, p_endpoint);
end $$;
revoke all on function public.emit_webhook_event(uuid, text, jsonb, uuid) from public, anon, authenticated;
grant execute on function public.emit_webhook_event(uuid, text, jsonb, uuid) to authenticated;

-- Keys disabled because their creator left the team are disabled by a trigger (api_keys
-- migration), not by lib/keys: their `key.disabled` is emitted here, at that cause.
create function private.webhook_key_member_removed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.webhook_emit(new.team_id, 'key.disabled', jsonb_build_object(
    'key_id', new.id, 'key_name', new.name, 'key_prefix', new.prefix, 'reason', 'member_removed'));
  return new;
end $$;
revoke all on function private.webhook_key_member_removed() from public, anon, authenticated;
create trigger api_keys_webhook_member_removed after update of disabled_reason on public.api_keys
  for each row when (new.disabled_reason = 'member_removed' and old.disabled_reason is distinct from 'member_removed')
  execute function private.webhook_key_member_removed();

/*
 * Marks every threshold (built-in 80 and 100, plus the team's own) that `p_used` of `p_limit`
 * has reached this month and emits `quota.threshold` for each newly marked one. The marks'
 * primary key makes concurrent callers fire each threshold once. Server connection only.
 */
create function public.webhook_quota_check(p_team uuid, p_used bigint, p_limit bigint)
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_month date := date_trunc('month', now() at time zone 'utc')::date;
  v_percent integer;
  v_count integer := 0;
begin
  if p_limit is null or p_limit <= 0 then return 0; end if;
  for v_percent in
    with t(percent) as (
      select 80 union select 100
      union select q.percent from public.webhook_quota_thresholds q where q.team_id = p_team
    ), reached as (
      select percent from t where p_used * 100 >= percent::bigint * p_limit order by percent
    ), marked as (
      insert into public.webhook_quota_marks (team_id, month, percent)
      select p_team, v_month, percent from reached
      on conflict do nothing
      returning percent
    )
    select percent from marked order by percent
  loop
    perform private.webhook_emit(p_team, 'quota.threshold', jsonb_build_object(
      'percent', v_percent, 'used', p_used, 'limit', p_limit, 'month', to_char(v_month, 'YYYY-MM')));
    v_count := v_count + 1;
  end loop;
  return v_count;
end $$;
revoke all on function public.webhook_quota_check(uuid, bigint, bigint) from public, anon, authenticated;
