-- Audits of local businesses (POST /api/public/audit): the businesses a team has audited, and
-- every audit with its validated input and stored result. Written only by the server (the
-- public API and the job worker use their own connection); the dashboard reads them through
-- RLS. Who sees what: every member of the team, whatever their role. Audits are results about
-- the team's customers' businesses, made with any of the team's keys, and a member needs them
-- to support those customers; nothing in them is secret the way a key or a caller's IP is
-- (the call log, which holds IPs, stays limited to a member's own keys).

create table public.businesses (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  -- The caller's own id for the business (a Google place id, say): unique per team only.
  business_id text not null check (char_length(business_id) between 1 and 128),
  name text not null check (char_length(name) between 1 and 200),
  category text not null check (char_length(category) between 1 and 100),
  -- The most recent audit's validated input (business, competitors, lang, currency).
  latest_input jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint businesses_team_business_key unique (team_id, business_id)
);

create table public.audits (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  -- Keys are revoked, never deleted, except with their team; set null keeps the audit anyway.
  key_id uuid references public.api_keys (id) on delete set null,
  business_id text not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
  -- The validated POST body, defaults applied (lang, currency, competitors).
  input jsonb not null,
  -- lib/audit's StoredAudit: scores and unrounded money, no texts (rendered per request).
  result jsonb,
  error text check (error is null or char_length(error) <= 1000),
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  constraint audits_business_fk foreign key (team_id, business_id)
    references public.businesses (team_id, business_id) on delete cascade,
  -- A finished audit says how it finished; a pending one has neither result nor error.
  constraint audits_completed_has_result check (status <> 'completed' or (result is not null and completed_at is not null)),
  constraint audits_failed_has_error check (status <> 'failed' or (error is not null and completed_at is not null)),
  constraint audits_pending_is_empty check (status in ('completed', 'failed') or (result is null and error is null))
);

-- GET /api/public/audit?business_id=…: the latest completed audit of one business.
create index audits_latest_idx on public.audits (team_id, business_id, completed_at desc)
  where status = 'completed';
-- Listing a team's audits, newest first (dashboard).
create index audits_team_time_idx on public.audits (team_id, created_at desc);

alter table public.businesses enable row level security;
alter table public.audits enable row level security;

create policy businesses_select on public.businesses for select to authenticated
  using (private.team_role(team_id) is not null);
create policy audits_select on public.audits for select to authenticated
  using (private.team_role(team_id) is not null);

-- No insert, update or delete policy and no such grant: nobody writes these through RLS.
revoke all on public.businesses, public.audits from anon, authenticated;
grant select on public.businesses, public.audits to authenticated;
