import { z } from "zod";
import { parseAllowlist } from "@/lib/keys/ip-allowlist";

/**
 * Input schemas for creating and updating an API key, shared by the dashboard
 * form and the JSON routes so both enforce identical rules. Numbers are not
 * coerced: form code must send real numbers, so a JSON client sending "100"
 * gets an error rather than silently passing.
 */

export const KEY_SCOPES = ["ping", "validate", "audit:read", "audit:write", "keys:manage"] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];
export const keyScopeSchema = z.enum(KEY_SCOPES);

/** Lets a key manage the team's keys through the API; never granted by default, only by owners and admins. */
export const MANAGE_SCOPE = "keys:manage" satisfies KeyScope;
/** What a new key gets when no scopes are given: every scope but keys:manage. */
export const DEFAULT_KEY_SCOPES = KEY_SCOPES.filter((s) => s !== MANAGE_SCOPE);

export const MAX_EXPIRY_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

const nameSchema = z
  .string()
  .trim()
  .min(1, "Name is required.")
  .max(64, "Name must be at most 64 characters.");

const descriptionText = z.string().trim().max(500, "Description must be at most 500 characters.");

// Evaluated per parse (not at module load) so a long-lived server process
// measures the window from the time of the request.
const expiresAtSchema = z.iso
  .datetime({
    offset: true,
    message: "Expiry must be an ISO 8601 date-time with a time zone, e.g. 2030-01-31T12:00:00Z.",
  })
  .superRefine((value, ctx) => {
    const at = Date.parse(value);
    const now = Date.now();
    if (!(at > now)) {
      ctx.addIssue({ code: "custom", message: "Expiry must be in the future.", input: value });
    } else if (at > now + MAX_EXPIRY_DAYS * DAY_MS) {
      ctx.addIssue({
        code: "custom",
        message: `Expiry can be at most ${MAX_EXPIRY_DAYS} days from now.`,
        input: value,
      });
    }
  });

const scopesSchema = z
  .array(keyScopeSchema)
  .min(1, "Select at least one scope.")
  .refine((s) => new Set(s).size === s.length, "Each scope may only be listed once.");

const rateLimitSchema = z
  .number()
  .int("Rate limit must be a whole number.")
  .min(1, "Rate limit must be at least 1 request per minute.")
  .max(10_000, "Rate limit can be at most 10,000 requests per minute.");

const useCapSchema = z
  .number()
  .int("Use cap must be a whole number.")
  .min(1, "Use cap must be at least 1.")
  .max(1_000_000_000, "Use cap can be at most 1,000,000,000.");

// Reports one issue per bad entry at ["ip_allowlist", index] so the form can
// mark the exact row; outputs canonical, deduped values ready to store.
const ipAllowlistSchema = z.array(z.string()).transform((entries, ctx) => {
  const result = parseAllowlist(entries);
  if (!result.ok) {
    for (const e of result.errors) {
      ctx.addIssue({ code: "custom", message: e.message, path: [e.index], input: entries[e.index] });
    }
    return z.NEVER;
  }
  return result.values;
});

export const createKeyInputSchema = z.object({
  name: nameSchema,
  description: descriptionText.transform((v) => (v === "" ? undefined : v)).optional(),
  expires_at: expiresAtSchema.nullable().optional(),
  scopes: scopesSchema.default(() => [...DEFAULT_KEY_SCOPES]),
  rate_limit_per_minute: rateLimitSchema.optional(),
  ip_allowlist: ipAllowlistSchema.default([]),
  use_cap: useCapSchema.nullable().optional(),
});

/**
 * Built from the field schemas rather than `createKeyInputSchema.partial()`:
 * Zod 4 still applies `.default()` inside `.optional()`, so a partial of the
 * create schema would silently reset scopes and the allowlist on every update.
 *
 * Unlike create, an empty description becomes `null`, because on update the
 * user clearing the field means "remove it", not "leave unchanged".
 */
export const updateKeyInputSchema = z
  .object({
    name: nameSchema.optional(),
    description: descriptionText
      .transform((v) => (v === "" ? null : v))
      .nullable()
      .optional(),
    expires_at: expiresAtSchema.nullable().optional(),
    scopes: scopesSchema.optional(),
    rate_limit_per_minute: rateLimitSchema.optional(),
    ip_allowlist: ipAllowlistSchema.optional(),
    use_cap: useCapSchema.nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: "Provide at least one field to update.",
  });

export type CreateKeyInput = z.infer<typeof createKeyInputSchema>;
export type UpdateKeyInput = z.infer<typeof updateKeyInputSchema>;
