import { z } from "zod";
import { TEAM_ROLES } from "@/lib/schemas/team.schema";

/**
 * What the dashboard may see of a key. Responses are parsed through this schema, so a column
 * added to a query later (a hash, say) is stripped instead of leaking.
 */
export const KEY_STATUSES = ["active", "disabled", "exhausted", "expiring", "expired", "rotating", "revoked"] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

const isoDate = z.union([z.date(), z.string()]).transform((d) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString()));

export const keyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  prefix: z.string(),
  last4: z.string(),
  status: z.enum(KEY_STATUSES),
  created_by: z.string(),
  creator_email: z.string().nullable(),
  scopes: z.array(z.string()),
  /** The limit the key's creator chose (requests per minute); a plan change never rewrites it. */
  rate_limit_per_minute: z.number(),
  /** What the API enforces: the chosen limit capped by the team's plan ceiling. */
  rate_limit_enforced: z.number(),
  /** The team's plan name, for "capped at 10 by the Free plan". */
  plan_name: z.string(),
  ip_allowlist: z.array(z.string()),
  use_cap: z.number().nullable(),
  expires_at: isoDate.nullable(),
  disabled_reason: z.string().nullable(),
  /** Who disabled the key (null when enabled, or when the disable came from a member's removal). */
  disabled_by: z.string().nullable(),
  disabled_by_email: z.string().nullable(),
  rotated_from_id: z.string().nullable(),
  replaced_by_id: z.string().nullable(),
  grace_until: isoDate.nullable(),
  /** When the key stops working: the rotation grace end when sooner than the expiry; null = never. */
  ends_at: isoDate.nullable(),
  created_at: isoDate,
  last_used_at: isoDate.nullable(),
  last_used_ip: z.string().nullable(),
  calls_this_month: z.number(),
  calls_total: z.number(),
});
export type KeyView = z.infer<typeof keyViewSchema>;

export const keyListResponseSchema = z.object({
  keys: z.array(keyViewSchema),
  limit: z.object({ used: z.number(), max: z.number(), plan: z.string() }),
  viewer: z.object({ user_id: z.string(), role: z.enum(TEAM_ROLES) }),
});
export type KeyListResponse = z.infer<typeof keyListResponseSchema>;

export const ROTATION_GRACE = { none: 0, "1h": 3_600, "24h": 86_400, "7d": 604_800 } as const;
export type RotationGrace = keyof typeof ROTATION_GRACE;
export const rotateKeyInputSchema = z.object({
  grace: z.enum(Object.keys(ROTATION_GRACE) as [RotationGrace, ...RotationGrace[]], { message: "Choose none, 1h, 24h or 7d." }),
});

export const auditEntrySchema = z.object({
  id: z.number(),
  action: z.string(),
  key_id: z.string().nullable(),
  key_name: z.string().nullable(),
  actor_id: z.string().nullable(),
  actor_email: z.string().nullable(),
  /** The API key that made the change (`prefix…last4`), when it came through the key-management API. */
  actor_key: z.string().nullable().default(null),
  /** The person a team event is about (new, removed or re-roled member), else null. */
  subject_id: z.string().nullable(),
  subject_email: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  created_at: isoDate,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
