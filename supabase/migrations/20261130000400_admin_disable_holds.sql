-- A key that an owner or admin disabled stays disabled until an owner or admin enables it, and
-- the key remembers who disabled it. Enforced here too, so a member writing through Supabase's
-- Data API (or any connection as `authenticated`) cannot undo it either.

alter table public.api_keys add column disabled_by uuid references auth.users (id) on delete set null;
alter table public.api_keys drop constraint api_keys_disabled_reason_check;
alter table public.api_keys add constraint api_keys_disabled_reason_check
  check (disabled_reason in ('user', 'admin', 'member_removed'));

-- Column grants are additive: the existing update grant stays, plus the new column.
grant update (disabled_by) on public.api_keys to authenticated;

-- Removing a member also takes over keys an owner or admin had disabled: they stay disabled
-- either way, and 'member_removed' is the stronger reason (never re-enabled).
create or replace function private.disable_keys_of_removed_member() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.api_keys
     set disabled_at = now(), disabled_reason = 'member_removed', updated_at = now()
   where team_id = old.team_id and created_by = old.user_id and revoked_at is null
     and (disabled_at is null or disabled_reason in ('user', 'admin'));
  update public.profiles set current_team_id = null where id = old.user_id and current_team_id = old.team_id;
  return old;
end
$$;

create or replace function private.guard_api_key_update() returns trigger
language plpgsql set search_path = '' as $$
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
  -- An owner's or admin's disable holds against the key's creator.
  if old.disabled_reason = 'admin'
     and (new.disabled_reason is distinct from old.disabled_reason or new.disabled_at is null)
     and not private.is_team_admin(old.team_id) then
    raise exception 'An owner or admin disabled this key; only an owner or admin can enable it.' using errcode = '42501';
  end if;
  -- Only owners and admins may claim that reason, and nobody may name someone else as the one
  -- who disabled a key.
  if new.disabled_reason = 'admin' and old.disabled_reason is distinct from 'admin'
     and not private.is_team_admin(old.team_id) then
    raise exception 'Only an owner or admin can disable a key as an admin.' using errcode = '42501';
  end if;
  if new.disabled_by is distinct from old.disabled_by and new.disabled_by is not null
     and new.disabled_by is distinct from auth.uid() then
    raise exception 'disabled_by must be the user making the change.' using errcode = '42501';
  end if;
  return new;
end
$$;
