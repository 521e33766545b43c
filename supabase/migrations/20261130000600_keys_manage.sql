-- The key-management API (issue 12): the keys:manage scope, the acting key on activity-log
-- rows, and stored answers for Idempotency-Key. verify_api_call is not redefined: the API's
-- `GET /me` passes a null scope, which its `not (p_scope = any (k.scopes))` test lets through.

-- 1. The scope. KEY_SCOPES in lib/keys/key-input.schema.ts is its twin (catalog test). The
--    column default stays without it: keys:manage is never granted by default.
alter table public.api_keys drop constraint api_keys_scopes_check;
alter table public.api_keys add constraint api_keys_scopes_check
  check (cardinality(scopes) > 0 and scopes <@ array['ping', 'validate', 'audit:read', 'audit:write', 'keys:manage']);

-- Only an owner or admin may give a key keys:manage (lib/keys says the same in words people
-- read; this holds for any connection as `authenticated`, Supabase's Data API included).
create function private.guard_keys_manage_scope() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user not in ('authenticated', 'anon') then
    return new;
  end if;
  if 'keys:manage' = any (new.scopes)
     and (tg_op = 'INSERT' or not ('keys:manage' = any (old.scopes)))
     and not private.is_team_admin(new.team_id) then
    raise exception 'Only team owners and admins can give a key the keys:manage scope.' using errcode = '42501';
  end if;
  return new;
end
$$;
revoke execute on function private.guard_keys_manage_scope() from public, anon, authenticated;
create trigger api_keys_guard_keys_manage before insert or update of scopes on public.api_keys
  for each row execute function private.guard_keys_manage_scope();

-- 2. The acting key of a change made through the API: its id and `prefix…last4` (kept as text
--    so the row still says which key it was if the key row ever goes). actor_id stays the
--    person: the key's creator, as whom the change ran.
alter table public.audit_log add column actor_key_id uuid references public.api_keys (id) on delete set null;
alter table public.audit_log add column actor_key text check (actor_key is null or char_length(actor_key) = 17);
grant insert (actor_key_id, actor_key) on public.audit_log to authenticated;
-- A user may name only a key of their own, of the same team, as the acting key.
alter policy audit_log_insert on public.audit_log with check (
  actor_id = (select auth.uid()) and private.team_role(team_id) is not null
  and (actor_key_id is null or exists (
    select 1 from public.api_keys k where k.id = actor_key_id and k.team_id = audit_log.team_id and k.created_by = (select auth.uid())
  ))
);

-- 3. Idempotency-Key: (acting key, client's key) → the first answer, for 24 hours. Written and
--    read only by the server (RLS on, no policy, no grant).
create table public.api_idempotency (
  key_id uuid not null references public.api_keys (id) on delete cascade,
  idempotency_key text not null check (char_length(idempotency_key) between 1 and 255),
  method text not null,
  path text not null,
  -- SHA-256 of the method, path and body: a reuse with another request is refused.
  request_hash text not null check (char_length(request_hash) = 64),
  -- Null only inside the transaction that makes the answer; nobody else ever sees the row so.
  response_status smallint,
  response_body jsonb,
  created_at timestamptz not null default now(),
  primary key (key_id, idempotency_key)
);
create index api_idempotency_created_idx on public.api_idempotency (created_at);
alter table public.api_idempotency enable row level security;
revoke all on public.api_idempotency from anon, authenticated;
