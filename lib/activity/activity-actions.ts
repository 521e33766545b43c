/**
 * Every action the activity log (public.audit_log) records, exactly as the table's check
 * constraint lists them (test/integration/catalog.test.ts keeps the two in step).
 */
export const KEY_ACTIVITY_ACTIONS = [
  "key.created",
  "key.renamed",
  "key.settings_changed",
  "key.disabled",
  "key.enabled",
  "key.rotated",
  "key.revoked",
] as const;
export type KeyActivityAction = (typeof KEY_ACTIVITY_ACTIONS)[number];

/**
 * Team events. Joining a team is accepting an invitation (`invitation.accepted`, subject = the
 * new member); a team's creator is its first member and needs no entry.
 */
export const TEAM_ACTIVITY_ACTIONS = [
  "invitation.sent",
  "invitation.accepted",
  "invitation.revoked",
  "member.left",
  "member.removed",
  "member.role_changed",
  "plan.changed",
] as const;
export type TeamActivityAction = (typeof TEAM_ACTIVITY_ACTIONS)[number];

export const ACTIVITY_ACTIONS = [...KEY_ACTIVITY_ACTIONS, ...TEAM_ACTIVITY_ACTIONS] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];
