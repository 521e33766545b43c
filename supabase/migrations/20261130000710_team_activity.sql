-- Issue 13, item 7 (and item 1's plan-change entry): the activity log records team changes too.
-- 1. subject_id: the person a team event is about (the invitee who joined, the member removed
--    or re-roled). Members see entries they made, entries about their keys and entries about
--    themselves; owners and admins see all (the select policy below).
-- 2. The action list gains the team events. lib/activity/activity-actions.ts holds the twin
--    (ACTIVITY_ACTIONS; test/integration/catalog.test.ts keeps them in step).
alter table public.audit_log add column subject_id uuid references auth.users (id) on delete set null;

alter table public.audit_log drop constraint audit_log_action_check;
alter table public.audit_log add constraint audit_log_action_check check (action in (
  'key.created', 'key.renamed', 'key.settings_changed', 'key.disabled', 'key.enabled', 'key.rotated', 'key.revoked',
  'invitation.sent', 'invitation.accepted', 'invitation.revoked',
  'member.left', 'member.removed', 'member.role_changed',
  'plan.changed'
));

grant insert (subject_id) on public.audit_log to authenticated;

alter policy audit_log_select on public.audit_log using (
  private.is_team_admin(team_id)
  or (
    private.team_role(team_id) is not null
    and (
      actor_id = (select auth.uid())
      or subject_id = (select auth.uid())
      or exists (select 1 from public.api_keys k where k.id = key_id and k.created_by = (select auth.uid()))
    )
  )
);
