-- Billing on Stripe: each team's Stripe customer and subscription as last read from Stripe,
-- the webhook events already applied (dedupe by event.id), the overage outbox reported to a
-- Stripe Billing Meter, and the billing_events log of every billing action.
-- public.teams.plan stays the *effective* plan (what the hot path enforces); lib/billing sets it
-- from the subscription (Free while past_due beyond the grace period, or once canceled).

create table public.team_billing (
  team_id uuid primary key references public.teams (id) on delete cascade,
  stripe_customer_id text not null unique,
  stripe_subscription_id text unique,
  -- The plan the subscription pays for (its base price's lookup key), whatever its status.
  subscribed_plan text check (subscribed_plan is null or subscribed_plan in ('free', 'pro', 'business')),
  status text check (status is null or status in ('trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused')),
  trial_end timestamptz,
  current_period_end timestamptz,
  cancel_at_period_end boolean not null default false,
  -- When the subscription was first seen past_due (or unpaid); cleared once paid. The grace
  -- period (BILLING_GRACE_DAYS) runs from here.
  past_due_since timestamptz,
  -- The Stripe `created` of the subscription snapshot applied last, so an older read never
  -- overwrites a newer one.
  synced_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Every Stripe event applied once: a replay of the same event.id is answered 200 and ignored.
create table public.stripe_events (
  id text primary key,
  type text not null,
  team_id uuid references public.teams (id) on delete set null,
  -- applied | ignored (unknown customer or subscription, or a type we do not handle)
  outcome text not null check (outcome in ('applied', 'ignored')),
  received_at timestamptz not null default now()
);

-- The overage outbox: one row per team per minute, value = that minute's overage calls.
-- Filled from team_usage.overage by the background worker (never on the hot path), drained to
-- Stripe's meter events with identifier `<team>:<minute>` so a retry can never bill twice.
create table public.billing_overage_outbox (
  id bigint generated always as identity primary key,
  team_id uuid not null references public.teams (id) on delete cascade,
  minute timestamptz not null,
  identifier text not null unique,
  stripe_customer_id text not null,
  value integer not null check (value > 0),
  status text not null default 'pending' check (status in ('pending', 'reported', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  reported_at timestamptz,
  created_at timestamptz not null default now(),
  unique (team_id, minute)
);
create index billing_overage_outbox_due_idx on public.billing_overage_outbox (next_attempt_at) where status = 'pending';

-- How much of each team's monthly overage (team_usage.overage) is already in the outbox.
-- Invariant: sum(outbox.value for the month) = counted, and counted <= team_usage.overage.
create table public.billing_overage_marks (
  team_id uuid not null references public.teams (id) on delete cascade,
  month date not null,
  counted integer not null default 0 check (counted >= 0),
  primary key (team_id, month)
);

-- Every billing action: checkout and portal sessions, applied subscription states, plan
-- changes, and each meter-event report, retry and failure.
create table public.billing_events (
  id bigint generated always as identity primary key,
  team_id uuid references public.teams (id) on delete cascade,
  kind text not null check (char_length(kind) between 1 and 64),
  stripe_event_id text,
  outbox_id bigint references public.billing_overage_outbox (id) on delete set null,
  identifier text,
  value integer,
  attempt integer,
  detail jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index billing_events_team_idx on public.billing_events (team_id, created_at desc, id desc);

alter table public.team_billing enable row level security;
alter table public.stripe_events enable row level security;
alter table public.billing_overage_outbox enable row level security;
alter table public.billing_overage_marks enable row level security;
alter table public.billing_events enable row level security;

-- Owners and admins read their team's subscription, overage reports and billing log; members
-- see plan and quota only (from teams and team_usage). Nobody writes these on a user's
-- connection: lib/billing writes them on the server's own connection after its own checks.
create policy team_billing_select on public.team_billing for select to authenticated
  using (private.is_team_admin(team_id));
create policy billing_outbox_select on public.billing_overage_outbox for select to authenticated
  using (private.is_team_admin(team_id));
create policy billing_events_select on public.billing_events for select to authenticated
  using (private.is_team_admin(team_id));
-- stripe_events and billing_overage_marks: RLS on and no policy, server only.

revoke all on public.team_billing, public.stripe_events, public.billing_overage_outbox,
  public.billing_overage_marks, public.billing_events from anon, authenticated;
grant select (team_id, subscribed_plan, status, trial_end, current_period_end, cancel_at_period_end, past_due_since, updated_at)
  on public.team_billing to authenticated;
grant select (id, team_id, minute, identifier, value, status, attempts, reported_at, created_at)
  on public.billing_overage_outbox to authenticated;
grant select (id, team_id, kind, identifier, value, attempt, created_at) on public.billing_events to authenticated;
