-- API keys, their hashes (readable by no user), and the team's audit log of key changes.

create table public.api_keys (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  created_by uuid not null references auth.users (id),
  name text not null check (char_length(name) between 1 and 64),
  description text check (description is null or char_length(description) <= 500),
  prefix text not null check (char_length(prefix) = 12),
  last4 text not null check (char_length(last4) = 4),
  scopes text[] not null default array['ping', 'validate', 'audit:read', 'audit:write']
    check (cardinality(scopes) > 0 and scopes <@ array['ping', 'validate', 'audit:read', 'audit:write']),
  rate_limit_per_minute integer not null check (rate_limit_per_minute > 0),
  ip_allowlist cidr[] not null default '{}',
  use_cap bigint check (use_cap is null or use_cap > 0),
  expires_at timestamptz,
  disabled_at timestamptz,
  disabled_reason text check (disabled_reason in ('user', 'member_removed')),
  revoked_at timestamptz,
  -- Rotation: the old key points at its successor and works until grace_until.
  rotated_from_id uuid references public.api_keys (id),
  replaced_by_id uuid references public.api_keys (id),
  grace_until timestamptz,
  uses_total bigint not null default 0,
  uses_month integer not null default 0,
  usage_month date,
  last_used_at timestamptz,
  last_used_ip inet,
  rate_window_start timestamptz,
  rate_window_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index api_keys_team_idx on public.api_keys (team_id, created_at desc);
create index api_keys_creator_idx on public.api_keys (created_by);

create table public.api_key_hashes (
  key_hash text primary key check (char_length(key_hash) = 64),
  key_id uuid not null unique references public.api_keys (id) on delete cascade
);

-- The one definition of a key's status, used by the dashboard list and the public API alike.
create function public.key_status(k public.api_keys, at timestamptz default now()) returns text
language sql stable as $$
  select case
    when k.revoked_at is not null then 'revoked'
    when k.grace_until is not null and k.grace_until <= at then 'expired'
    when k.expires_at is not null and k.expires_at <= at then 'expired'
    when k.disabled_at is not null then 'disabled'
    when k.grace_until is not null then 'rotating'
    when k.expires_at is not null and k.expires_at <= at + interval '7 days' then 'expiring'
    else 'active'
  end
$$;

create table public.audit_log (
  id bigint generated always as identity primary key,
  team_id uuid not null references public.teams (id) on delete cascade,
  key_id uuid references public.api_keys (id) on delete set null,
  actor_id uuid references auth.users (id) on delete set null,
  action text not null check (action in
    ('key.created', 'key.renamed', 'key.settings_changed', 'key.disabled', 'key.enabled', 'key.rotated', 'key.revoked')),
  details jsonb not null default '{}'::jsonb,
  ip inet,
  created_at timestamptz not null default now()
);
create index audit_log_team_idx on public.audit_log (team_id, created_at desc, id desc);

alter table public.api_keys enable row level security;
alter table public.api_key_hashes enable row level security;
alter table public.audit_log enable row level security;

-- Members see and manage their own keys; owners and admins see every key of the team.
create policy api_keys_select on public.api_keys for select to authenticated using (
  private.team_role(team_id) is not null
  and (created_by = auth.uid() or private.is_team_admin(team_id))
);
create policy api_keys_insert on public.api_keys for insert to authenticated
  with check (created_by = auth.uid() and private.team_role(team_id) is not null);
create policy api_keys_update on public.api_keys for update to authenticated using (
  private.team_role(team_id) is not null
  and (created_by = auth.uid() or private.is_team_admin(team_id))
) with check (
  private.team_role(team_id) is not null
  and (created_by = auth.uid() or private.is_team_admin(team_id))
);

-- Hashes are written with the key and never read by a user: an insert policy and no other.
create policy api_key_hashes_insert on public.api_key_hashes for insert to authenticated
  with check (exists (select 1 from public.api_keys k where k.id = key_id and k.created_by = auth.uid()));

-- Members see what they did and what was done to their own keys; owners and admins see all.
create policy audit_log_select on public.audit_log for select to authenticated using (
  private.is_team_admin(team_id)
  or (
    private.team_role(team_id) is not null
    and (actor_id = auth.uid() or exists (select 1 from public.api_keys k where k.id = key_id and k.created_by = auth.uid()))
  )
);
create policy audit_log_insert on public.audit_log for insert to authenticated
  with check (actor_id = auth.uid() and private.team_role(team_id) is not null);

-- Supabase grants every privilege on new tables to anon and authenticated by default: start
-- from nothing so the column lists below are the whole grant.
revoke all on public.api_keys, public.api_key_hashes, public.audit_log from anon, authenticated;
grant select, insert (team_id, created_by, name, description, prefix, last4, scopes, rate_limit_per_minute,
  ip_allowlist, use_cap, expires_at, rotated_from_id),
  update (name, description, scopes, rate_limit_per_minute, ip_allowlist, use_cap, expires_at,
  disabled_at, disabled_reason, revoked_at, replaced_by_id, grace_until, updated_at)
  on public.api_keys to authenticated;
grant insert on public.api_key_hashes to authenticated;
grant select, insert (team_id, key_id, actor_id, action, details, ip) on public.audit_log to authenticated;
grant execute on function public.key_status(public.api_keys, timestamptz) to authenticated;

-- The plan's key limit counts every key of the team, including ones this member cannot see.
-- Only the count leaves this function.
create function public.team_key_count(p_team uuid) returns integer
language sql stable security definer set search_path = '' as $$
  select case when private.team_role(p_team) is null then null else (
    select count(*)::int from public.api_keys k
    where k.team_id = p_team and k.revoked_at is null and k.replaced_by_id is null
  ) end
$$;
revoke execute on function public.team_key_count(uuid) from public, anon;
grant execute on function public.team_key_count(uuid) to authenticated;

-- Removing a member disables their keys at once, whoever removes them.
create function private.disable_keys_of_removed_member() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.api_keys
     set disabled_at = now(), disabled_reason = 'member_removed', updated_at = now()
   where team_id = old.team_id and created_by = old.user_id and revoked_at is null
     and (disabled_at is null or disabled_reason = 'user');
  update public.profiles set current_team_id = null where id = old.user_id and current_team_id = old.team_id;
  return old;
end
$$;
create trigger team_members_disable_keys after delete on public.team_members
  for each row execute function private.disable_keys_of_removed_member();

-- Rules row-level security cannot express, for writes made on a user's own connection (the
-- dashboard's, or Supabase's Data API): revocation is final, a rotation cannot be undone, and a
-- key disabled because its creator left the team stays disabled.
create function private.guard_api_key_update() returns trigger
language plpgsql as $$
begin
  if current_user not in ('authenticated', 'anon') then
    return new;
  end if;
  if old.revoked_at is not null then
    raise exception 'This key is revoked; revoked keys cannot be changed.' using errcode = '42501';
  end if;
  if old.replaced_by_id is not null and (new.replaced_by_id is distinct from old.replaced_by_id or new.grace_until is distinct from old.grace_until) then
    raise exception 'A rotation cannot be undone.' using errcode = '42501';
  end if;
  if old.disabled_reason = 'member_removed'
     and (new.disabled_reason is distinct from old.disabled_reason or new.disabled_at is null) then
    raise exception 'This key was disabled because its creator left the team.' using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger api_keys_guard before update on public.api_keys
  for each row execute function private.guard_api_key_update();
