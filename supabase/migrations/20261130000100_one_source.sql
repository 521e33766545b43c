-- One source for each rule (issue 8).
--
-- 1. verify_api_call asks key_status for a key's lifecycle state instead of repeating its order.
--    Same signature, same answers, still one statement per request: key_status is a plain SQL
--    function the planner inlines into the expression.
-- 2. Policies call (select auth.uid()), so PostgreSQL evaluates it once per statement instead of
--    once per row (Supabase's RLS guidance).
-- 3. search_path = '' on the functions that lacked it, except key_status and status_class: a
--    function with a SET clause is never inlined, and both run per row (verify_api_call, key
--    lists, the usage roll-up). They are plain SQL over their arguments and built-in operators,
--    not security definer; test/integration/catalog.test.ts holds the exception list.

create or replace function public.verify_api_call(
  p_key_hash text,
  p_endpoint text,
  p_method text,
  p_scope text,
  p_ip inet,
  p_user_agent text,
  p_metered boolean,
  p_plans jsonb,
  p_request_id text
) returns table (
  outcome text,
  call_id bigint,
  key_id uuid,
  key_name text,
  key_prefix text,
  key_last4 text,
  key_scopes text[],
  key_expires_at timestamptz,
  team_id uuid,
  team_name text,
  team_plan text,
  rate_limit integer,
  rate_remaining integer,
  rate_reset_at timestamptz,
  quota_limit integer,
  quota_used integer,
  quota_resets_at timestamptz,
  overage boolean
)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  v_now timestamptz := now();
  v_month date := date_trunc('month', v_now at time zone 'utc')::date;
  v_window timestamptz := date_trunc('minute', v_now);
  k public.api_keys;
  t public.teams;
  u public.team_usage;
  v_plan jsonb;
  v_count integer;
  v_code text := null;
  v_status text;
  v_overage boolean := false;
begin
  select * into k from public.api_keys
   where id = (select h.key_id from public.api_key_hashes h where h.key_hash = p_key_hash)
   for update;
  if not found then
    outcome := 'invalid_api_key';
    return next;
    return;
  end if;
  select * into t from public.teams where id = k.team_id;
  v_plan := coalesce(p_plans -> t.plan, p_plans -> 'free');

  v_count := case when k.rate_window_start = v_window then k.rate_window_count else 0 end;

  -- The key's lifecycle state comes from key_status, the one definition of its order (inlined
  -- by the planner: no extra call, no extra round trip); the request's own checks follow.
  v_status := public.key_status(k, v_now);
  if v_status = 'revoked' then
    v_code := 'invalid_api_key';
  elsif v_status = 'expired' then
    v_code := 'key_expired';
  elsif v_status = 'disabled' then
    v_code := 'key_disabled';
  elsif cardinality(k.ip_allowlist) > 0 and not exists (select 1 from unnest(k.ip_allowlist) c where p_ip <<= c) then
    v_code := 'ip_not_allowed';
  elsif not (p_scope = any (k.scopes)) then
    v_code := 'insufficient_scope';
  elsif v_count >= k.rate_limit_per_minute then
    v_code := 'rate_limited';
  elsif k.use_cap is not null and k.uses_total >= k.use_cap then
    v_code := 'use_cap_reached';
  end if;

  -- The team's usage row: locked only when this call may consume quota.
  if v_code is null and p_metered then
    select * into u from public.team_usage where team_usage.team_id = k.team_id and month = v_month for update;
    if not found then
      insert into public.team_usage (team_id, month) values (k.team_id, v_month) on conflict do nothing;
      select * into u from public.team_usage where team_usage.team_id = k.team_id and month = v_month for update;
    end if;
    if u.calls >= (v_plan ->> 'monthly_calls')::int then
      if not (v_plan ->> 'overage_allowed')::boolean
         or (t.overage_hard_cap is not null and u.overage >= t.overage_hard_cap) then
        v_code := 'quota_exceeded';
      else
        v_overage := true;
      end if;
    end if;
    if v_code is null then
      update public.team_usage
         set calls = calls + 1, overage = overage + (case when v_overage then 1 else 0 end)
       where team_usage.team_id = k.team_id and month = v_month
       returning * into u;
    end if;
  else
    select * into u from public.team_usage where team_usage.team_id = k.team_id and month = v_month;
  end if;

  if v_code is null then
    update public.api_keys set
      rate_window_start = v_window,
      rate_window_count = v_count + 1,
      uses_total = uses_total + 1,
      uses_month = case when usage_month = v_month then uses_month + 1 else 1 end,
      usage_month = v_month,
      last_used_at = v_now,
      last_used_ip = p_ip
     where id = k.id;
    v_count := v_count + 1;
  end if;

  insert into public.api_calls (team_id, key_id, created_at, request_id, endpoint, method, admitted, metered, status, error_code, ip, user_agent)
  values (k.team_id, k.id, v_now, p_request_id, p_endpoint, p_method, v_code is null, v_code is null and p_metered,
          case when v_code is null then null else private.api_error_status(v_code) end,
          -- The contract has no code of its own for a spent use cap; callers see quota_exceeded.
          case when v_code = 'use_cap_reached' then 'quota_exceeded' else v_code end, p_ip, left(p_user_agent, 256))
  returning id into call_id;

  outcome := coalesce(v_code, 'ok');
  key_id := k.id;
  key_name := k.name;
  key_prefix := k.prefix;
  key_last4 := k.last4;
  key_scopes := k.scopes;
  key_expires_at := k.expires_at;
  team_id := k.team_id;
  team_name := t.name;
  team_plan := t.plan;
  rate_limit := k.rate_limit_per_minute;
  rate_remaining := greatest(0, k.rate_limit_per_minute - v_count);
  rate_reset_at := v_window + interval '1 minute';
  quota_limit := (v_plan ->> 'monthly_calls')::int;
  quota_used := coalesce(u.calls, 0);
  quota_resets_at := (v_month + interval '1 month')::timestamp at time zone 'utc';
  overage := v_overage;
  return next;
end
$$;


alter function private.guard_api_key_update() set search_path = '';
alter function private.api_error_status(text) set search_path = '';

alter policy profiles_select on public.profiles using (
  id = (select auth.uid())
  or exists (
    select 1 from public.team_members mine
    join public.team_members theirs on theirs.team_id = mine.team_id
    where mine.user_id = (select auth.uid()) and theirs.user_id = profiles.id
  )
);
alter policy profiles_update on public.profiles
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()) and (current_team_id is null or private.team_role(current_team_id) is not null));
alter policy members_update on public.team_members
  using (private.is_team_admin(team_id) and role <> 'owner' and user_id <> (select auth.uid()))
  with check (role in ('admin', 'member'));
alter policy members_delete on public.team_members using (
  (private.is_team_admin(team_id) and role <> 'owner')
  or (user_id = (select auth.uid()) and role <> 'owner')
);
alter policy invitations_insert on public.invitations
  with check (private.is_team_admin(team_id) and invited_by = (select auth.uid()));

alter policy api_keys_select on public.api_keys using (
  private.team_role(team_id) is not null
  and (created_by = (select auth.uid()) or private.is_team_admin(team_id))
);
alter policy api_keys_insert on public.api_keys
  with check (created_by = (select auth.uid()) and private.team_role(team_id) is not null);
alter policy api_keys_update on public.api_keys using (
  private.team_role(team_id) is not null
  and (created_by = (select auth.uid()) or private.is_team_admin(team_id))
) with check (
  private.team_role(team_id) is not null
  and (created_by = (select auth.uid()) or private.is_team_admin(team_id))
);
alter policy api_key_hashes_insert on public.api_key_hashes
  with check (exists (select 1 from public.api_keys k where k.id = key_id and k.created_by = (select auth.uid())));
alter policy audit_log_select on public.audit_log using (
  private.is_team_admin(team_id)
  or (
    private.team_role(team_id) is not null
    and (actor_id = (select auth.uid()) or exists (select 1 from public.api_keys k where k.id = key_id and k.created_by = (select auth.uid())))
  )
);
alter policy audit_log_insert on public.audit_log
  with check (actor_id = (select auth.uid()) and private.team_role(team_id) is not null);
