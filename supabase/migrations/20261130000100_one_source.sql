-- One source for each rule (issue 8).
--
-- 1. verify_api_call asks key_status for a key's lifecycle state instead of repeating its order.
--    Same signature, same answers, still one statement per request: key_status is a plain SQL
--    function the planner inlines into the expression.
-- 2. Policies call (select auth.uid()), so PostgreSQL evaluates it once per statement instead of
--    once per row (Supabase's RLS guidance).
-- 3. search_path = '' on the functions that lacked it, except key_status and status_class: a
--    function with a SET clause is never inlined, and both run per row (verify_api_call, key
--    lists, the usage roll-up). They are plain SQL over their arguments and built-in operators,
--    not security definer; test/integration/catalog.test.ts holds the exception list.

-- verify_api_call now takes a key's lifecycle state from key_status: its one definition, with
-- the other changes of this release, is in 20261130000700_truthful_keys.sql.


alter function private.guard_api_key_update() set search_path = '';
alter function private.api_error_status(text) set search_path = '';

alter policy profiles_select on public.profiles using (
  id = (select auth.uid())
  or exists (
    select 1 from public.team_members mine
    join public.team_members theirs on theirs.team_id = mine.team_id
    where mine.user_id = (select auth.uid()) and theirs.user_id = profiles.id
  )
);
alter policy profiles_update on public.profiles
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()) and (current_team_id is null or private.team_role(current_team_id) is not null));
alter policy members_update on public.team_members
  using (private.is_team_admin(team_id) and role <> 'owner' and user_id <> (select auth.uid()))
  with check (role in ('admin', 'member'));
alter policy members_delete on public.team_members using (
  (private.is_team_admin(team_id) and role <> 'owner')
  or (user_id = (select auth.uid()) and role <> 'owner')
);
alter policy invitations_insert on public.invitations
  with check (private.is_team_admin(team_id) and invited_by = (select auth.uid()));

alter policy api_keys_select on public.api_keys using (
  private.team_role(team_id) is not null
  and (created_by = (select auth.uid()) or private.is_team_admin(team_id))
);
alter policy api_keys_insert on public.api_keys
  with check (created_by = (select auth.uid()) and private.team_role(team_id) is not null);
alter policy api_keys_update on public.api_keys using (
  private.team_role(team_id) is not null
  and (created_by = (select auth.uid()) or private.is_team_admin(team_id))
) with check (
  private.team_role(team_id) is not null
  and (created_by = (select auth.uid()) or private.is_team_admin(team_id))
);
alter policy api_key_hashes_insert on public.api_key_hashes
  with check (exists (select 1 from public.api_keys k where k.id = key_id and k.created_by = (select auth.uid())));
alter policy audit_log_select on public.audit_log using (
  private.is_team_admin(team_id)
  or (
    private.team_role(team_id) is not null
    and (actor_id = (select auth.uid()) or exists (select 1 from public.api_keys k where k.id = key_id and k.created_by = (select auth.uid())))
  )
);
alter policy audit_log_insert on public.audit_log
  with check (actor_id = (select auth.uid()) and private.team_role(team_id) is not null);
