-- People and teams. Written for Supabase; runs unchanged on PGlite and plain PostgreSQL, where
-- lib/db installs a stand-in for the auth schema and roles first.

create schema if not exists private;
grant usage on schema private to authenticated;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  display_name text check (display_name is null or char_length(display_name) <= 80),
  current_team_id uuid,
  created_at timestamptz not null default now()
);

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 80),
  owner_id uuid not null references auth.users (id),
  plan text not null default 'free' check (plan in ('free', 'pro', 'business')),
  -- Null: overage unlimited (where the plan allows overage). Otherwise the most overage calls
  -- the owner accepts per month.
  overage_hard_cap integer check (overage_hard_cap is null or overage_hard_cap >= 0),
  created_at timestamptz not null default now()
);

alter table public.profiles
  add constraint profiles_current_team_fk foreign key (current_team_id) references public.teams (id) on delete set null;

create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_members_user_idx on public.team_members (user_id);
-- Exactly one owner per team.
create unique index team_members_one_owner on public.team_members (team_id) where role = 'owner';

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  email text not null check (char_length(email) between 3 and 254),
  role text not null check (role in ('admin', 'member')),
  token_hash text not null unique,
  invited_by uuid not null references auth.users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id),
  revoked_at timestamptz
);
create index invitations_team_idx on public.invitations (team_id, created_at desc);

-- Membership lookups for policies. SECURITY DEFINER so policies on team_members can ask about
-- team_members without recursing into their own RLS.
create function private.team_role(p_team uuid) returns text
language sql stable security definer set search_path = '' as $$
  select m.role from public.team_members m where m.team_id = p_team and m.user_id = auth.uid()
$$;

create function private.is_team_admin(p_team uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(private.team_role(p_team) in ('owner', 'admin'), false)
$$;

grant execute on function private.team_role(uuid), private.is_team_admin(uuid) to authenticated;

alter table public.profiles enable row level security;
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
alter table public.invitations enable row level security;

-- Profiles: yourself, and the people you share a team with.
create policy profiles_select on public.profiles for select to authenticated using (
  id = auth.uid()
  or exists (
    select 1 from public.team_members mine
    join public.team_members theirs on theirs.team_id = mine.team_id
    where mine.user_id = auth.uid() and theirs.user_id = profiles.id
  )
);
create policy profiles_update on public.profiles for update to authenticated
  using (id = auth.uid())
  with check (id = auth.uid() and (current_team_id is null or private.team_role(current_team_id) is not null));

create policy teams_select on public.teams for select to authenticated
  using (private.team_role(id) is not null);
create policy teams_update on public.teams for update to authenticated
  using (private.team_role(id) = 'owner')
  with check (private.team_role(id) = 'owner');

create policy members_select on public.team_members for select to authenticated
  using (private.team_role(team_id) is not null);
-- Owners change anyone but themselves; admins change members and admins, never the owner.
-- Nobody makes someone an owner here.
create policy members_update on public.team_members for update to authenticated
  using (private.is_team_admin(team_id) and role <> 'owner' and user_id <> auth.uid())
  with check (role in ('admin', 'member'));
-- Admins remove others (never the owner); anyone but the owner may leave.
create policy members_delete on public.team_members for delete to authenticated using (
  (private.is_team_admin(team_id) and role <> 'owner')
  or (user_id = auth.uid() and role <> 'owner')
);

create policy invitations_select on public.invitations for select to authenticated
  using (private.is_team_admin(team_id));
create policy invitations_insert on public.invitations for insert to authenticated
  with check (private.is_team_admin(team_id) and invited_by = auth.uid());
create policy invitations_update on public.invitations for update to authenticated
  using (private.is_team_admin(team_id))
  with check (private.is_team_admin(team_id));

-- Supabase grants every privilege on new tables to anon and authenticated by default: start
-- from nothing so the column lists below are the whole grant.
revoke all on public.profiles, public.teams, public.team_members, public.invitations from anon, authenticated;
grant select, update (display_name, current_team_id) on public.profiles to authenticated;
-- The plan is not a user-writable column: it changes through billing (or, in development
-- mode, through lib/teams after an ownership check), never through a user's own connection.
grant select, update (name, overage_hard_cap) on public.teams to authenticated;
grant select, update (role), delete on public.team_members to authenticated;
grant select (id, team_id, email, role, invited_by, created_at, expires_at, accepted_at, accepted_by, revoked_at),
  insert (team_id, email, role, token_hash, invited_by), update (revoked_at)
  on public.invitations to authenticated;

-- A new user's first team, or another team they start. Runs as definer because the creator is
-- not yet a member when the team row is written.
create function public.create_team(p_name text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := auth.uid();
  v_team uuid;
begin
  if v_user is null then
    raise exception 'not signed in' using errcode = '28000';
  end if;
  insert into public.teams (name, owner_id) values (p_name, v_user) returning id into v_team;
  insert into public.team_members (team_id, user_id, role) values (v_team, v_user, 'owner');
  update public.profiles set current_team_id = v_team where id = v_user and current_team_id is null;
  return v_team;
end
$$;

-- Accepting an invitation: the invitee cannot see the invitation row before joining, so the
-- whole check-and-join happens here. Returns the team id; raises with a message a person can read.
create function public.accept_invitation(p_token_hash text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := auth.uid();
  v_email text;
  v_inv public.invitations;
begin
  if v_user is null then
    raise exception 'not signed in' using errcode = '28000';
  end if;
  select * into v_inv from public.invitations where token_hash = p_token_hash for update;
  if not found or v_inv.revoked_at is not null then
    raise exception 'This invitation link is not valid.' using errcode = 'P0002';
  end if;
  if v_inv.accepted_at is not null then
    raise exception 'This invitation has already been used.' using errcode = 'P0002';
  end if;
  if v_inv.expires_at <= now() then
    raise exception 'This invitation has expired. Ask for a new one.' using errcode = 'P0002';
  end if;
  -- An invitation speaks for whoever sent it: it lapses if they are no longer owner or admin.
  if not exists (select 1 from public.team_members m
                  where m.team_id = v_inv.team_id and m.user_id = v_inv.invited_by and m.role in ('owner', 'admin')) then
    raise exception 'This invitation is no longer valid: the person who sent it can no longer invite. Ask for a new one.'
      using errcode = 'P0002';
  end if;
  -- From auth.users, which every signed-in user has (a profile may not exist yet).
  select email into v_email from auth.users where id = v_user;
  if v_email is null or lower(v_email) <> lower(v_inv.email) then
    raise exception 'This invitation was sent to another email address. Sign in as %.', v_inv.email
      using errcode = '42501';
  end if;
  insert into public.team_members (team_id, user_id, role) values (v_inv.team_id, v_user, v_inv.role)
    on conflict (team_id, user_id) do nothing;
  update public.invitations set accepted_at = now(), accepted_by = v_user where id = v_inv.id;
  update public.profiles set current_team_id = v_inv.team_id where id = v_user;
  return v_inv.team_id;
end
$$;

-- What an invitee may see before accepting: the team's name and who invited them.
create function public.invitation_preview(p_token_hash text)
returns table (team_name text, email text, role text, expires_at timestamptz, status text)
language sql stable security definer set search_path = '' as $$
  select t.name, i.email, i.role, i.expires_at,
    case when i.revoked_at is not null then 'revoked'
         when i.accepted_at is not null then 'accepted'
         when i.expires_at <= now() then 'expired'
         else 'pending' end
  from public.invitations i join public.teams t on t.id = i.team_id
  where i.token_hash = p_token_hash
$$;

revoke execute on function public.create_team(text), public.accept_invitation(text), public.invitation_preview(text) from public, anon;
grant execute on function public.create_team(text), public.accept_invitation(text), public.invitation_preview(text) to authenticated;
