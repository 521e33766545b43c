-- Durable background work (async audits, webhook deliveries). Rows are claimed with
-- FOR UPDATE SKIP LOCKED by lib/jobs, in the app process or in `npm run worker` processes.
-- Payloads may hold business data and only the server touches this table: RLS on, no policy.

create table public.jobs (
  id bigint generated always as identity primary key,
  queue text not null check (char_length(queue) between 1 and 100),
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
  -- Counted when a job is claimed, not when it fails, so a job that kills its worker every
  -- time still runs out of attempts.
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 8 check (max_attempts between 1 and 100),
  run_at timestamptz not null default now(),
  locked_at timestamptz,
  locked_by text,
  last_error text check (last_error is null or char_length(last_error) <= 1000),
  -- Enqueueing twice with the same key (a webhook event id, say) yields one job.
  dedupe_key text unique check (dedupe_key is null or char_length(dedupe_key) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  -- Crash recovery finds running jobs by locked_at; one without it would never be recovered.
  constraint jobs_running_locked check (status <> 'running' or locked_at is not null)
);

-- Claiming reads only due, queued rows; partial indexes stay small however many jobs finished.
create index jobs_claim_idx on public.jobs (queue, run_at) where status = 'queued';
create index jobs_running_idx on public.jobs (locked_at) where status = 'running';

alter table public.jobs enable row level security;
revoke all on public.jobs from anon, authenticated;
revoke all on sequence public.jobs_id_seq from anon, authenticated;
