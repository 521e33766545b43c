-- Keys that sign license tokens (lib/billing/license.ts), generated once when
-- LICENSE_SIGNING_KEY is not set. Server only: RLS on, no policy, nothing granted.
create table public.license_signing_keys (
  kid text primary key,
  alg text not null check (alg in ('EdDSA', 'ES256')),
  private_jwk jsonb not null,
  public_jwk jsonb not null,
  created_at timestamptz not null default now(),
  -- A rotated key stops signing at once and stays in the JWKS for 24 h after this.
  retired_at timestamptz
);
-- At most one key signs at a time; two processes generating the first key race on this.
create unique index license_signing_keys_one_active on public.license_signing_keys ((true)) where retired_at is null;
alter table public.license_signing_keys enable row level security;
revoke all on public.license_signing_keys from anon, authenticated;
