-- Webhook signing secrets encrypted at rest. `secret` and `previous_secret` now hold the
-- envelope of lib/crypto/seal.ts, `sealed.v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>`
-- (AES-256-GCM under LLAVERO_ENCRYPTION_KEY, bound to the endpoint's id), so a dump or backup of
-- the database alone reveals no secret.
--
-- SQL cannot seal: it does not have the key. Rows stored in clear before this migration stay
-- valid (`whsec_…`) and keep signing; the app seals them at start (sealStoredWebhookSecrets,
-- lib/webhooks/secrets-at-rest.ts), one row at a time in place, so no secret is ever lost or
-- held in two places. From this migration on the database refuses to be given a new clear
-- secret (trigger below); only the rows already in clear may stay so until sealed.
--
-- Grants and row-level security are unchanged: no grant lets `authenticated` read or write
-- these columns (20261130000300_webhooks.sql).

alter table public.webhook_endpoints drop constraint webhook_endpoints_secret_check;
alter table public.webhook_endpoints drop constraint webhook_endpoints_previous_secret_check;

alter table public.webhook_endpoints add constraint webhook_endpoints_secret_check
  check (secret ~ '^sealed\.v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{40,}$' or secret like 'whsec\_%');
alter table public.webhook_endpoints add constraint webhook_endpoints_previous_secret_check
  check (previous_secret is null or previous_secret ~ '^sealed\.v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{40,}$' or previous_secret like 'whsec\_%');

comment on column public.webhook_endpoints.secret is
  'Sealed (sealed.v1.…, AES-256-GCM under the app''s at-rest key); whsec_… only in a row stored before 20261202000100 and not yet sealed by the app.';
comment on column public.webhook_endpoints.previous_secret is
  'As secret: the secret before the last rotation, signing until previous_secret_expires_at.';

/*
 * Refuses a clear `whsec_…` written to either column: any insert, and any update that changes
 * the column's value. An update that leaves a legacy clear value as it is (an edit of the URL
 * before the app sealed the row) passes. Raises check_violation (23514).
 */
create function private.webhook_endpoints_refuse_clear_secret() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.secret !~ '^sealed\.' and (tg_op = 'INSERT' or new.secret is distinct from old.secret) then
    raise exception 'webhook_endpoints.secret must be sealed (sealed.v1.…), not stored in clear' using errcode = '23514';
  end if;
  if new.previous_secret is not null and new.previous_secret !~ '^sealed\.'
     and (tg_op = 'INSERT' or new.previous_secret is distinct from old.previous_secret) then
    raise exception 'webhook_endpoints.previous_secret must be sealed (sealed.v1.…), not stored in clear' using errcode = '23514';
  end if;
  return new;
end $$;
revoke all on function private.webhook_endpoints_refuse_clear_secret() from public, anon, authenticated;
create trigger webhook_endpoints_refuse_clear_secret before insert or update of secret, previous_secret on public.webhook_endpoints
  for each row execute function private.webhook_endpoints_refuse_clear_secret();
