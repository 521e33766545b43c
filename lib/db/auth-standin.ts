/**
 * What Supabase provides and our migrations rely on, for embedded and plain-Postgres modes:
 * the `auth` schema with `auth.users`, `auth.uid()`, and the `anon`, `authenticated` and
 * `service_role` roles. Installed before the migrations, never inside them, and never on
 * Supabase. The built-in email+password provider keeps its sessions and throttle here too,
 * because those tables belong to the auth provider, not to the product schema.
 */
export const AUTH_STANDIN_SQL = /* sql */ `
-- Roles are cluster-wide: two databases on one server may install the stand-in at once.
do $$
declare r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin noinherit', r);
      exception when duplicate_object or unique_violation then null;
      end;
    end if;
  end loop;
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  encrypted_password text,
  raw_user_meta_data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index if not exists users_email_lower_key on auth.users (lower(email));

create or replace function auth.jwt() returns jsonb
language sql stable as $fn$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$fn$;

create or replace function auth.uid() returns uuid
language sql stable as $fn$
  select nullif(auth.jwt() ->> 'sub', '')::uuid
$fn$;

create or replace function auth.role() returns text
language sql stable as $fn$
  select coalesce(auth.jwt() ->> 'role', 'anon')
$fn$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;

-- Built-in provider: opaque session tokens (stored hashed) and a sign-in throttle.
create table if not exists auth.llavero_sessions (
  token_hash text primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index if not exists llavero_sessions_user_idx on auth.llavero_sessions (user_id);

create table if not exists auth.llavero_sign_in_failures (
  id bigint generated always as identity primary key,
  email text not null,
  ip text not null,
  failed_at timestamptz not null default now()
);
create index if not exists llavero_sign_in_failures_email_idx on auth.llavero_sign_in_failures (email, failed_at);
create index if not exists llavero_sign_in_failures_ip_idx on auth.llavero_sign_in_failures (ip, failed_at);

-- Sign-ups per IP: each costs a 128 MiB password hash.
create table if not exists auth.llavero_sign_up_attempts (
  id bigint generated always as identity primary key,
  ip text not null,
  attempted_at timestamptz not null default now()
);
create index if not exists llavero_sign_up_attempts_ip_idx on auth.llavero_sign_up_attempts (ip, attempted_at);

revoke all on auth.users, auth.llavero_sessions, auth.llavero_sign_in_failures, auth.llavero_sign_up_attempts from anon, authenticated;
`;
