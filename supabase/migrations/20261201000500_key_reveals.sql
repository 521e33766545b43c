-- Issue 13 item 12: a first key at sign-up. The sign-up request creates the key; the first
-- dashboard view shows its secret once. Between the two, the secret is held here encrypted
-- (AES-256-GCM) under a key that exists only in the new session's httpOnly cookie, so neither
-- this row nor the cookie alone reveals it. The row is deleted when read (one view) and ignored
-- after expires_at; the maintenance loop purges leftovers (lib/keys/first-key.ts).
create table public.key_reveals (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  key_id uuid not null references public.api_keys (id) on delete cascade,
  -- iv (12 bytes) || ciphertext || GCM tag (16 bytes), base64url
  sealed text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index key_reveals_user_idx on public.key_reveals (user_id);
create index key_reveals_expires_idx on public.key_reveals (expires_at);

-- Server only: RLS on, no policy, no grants.
alter table public.key_reveals enable row level security;
revoke all on public.key_reveals from anon, authenticated;
