/**
 * Every action the activity log (public.audit_log) records about a key, exactly as the table's
 * check constraint lists them (test/integration/catalog.test.ts keeps the two in step).
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
