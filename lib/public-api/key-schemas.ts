import { COUNT_DEFINITIONS } from "@/lib/usage/definitions";
import { z } from "zod";
import { createKeyInputSchema, MAX_EXPIRY_DAYS, updateKeyInputSchema } from "@/lib/keys/key-input.schema";
import { KEY_STATUSES, rotateKeyInputSchema } from "@/lib/keys/key-view.schema";
import { TEAM_ROLES } from "@/lib/schemas/team.schema";
import { component, planSchemaOut, scopeComponent } from "./schemas";

/**
 * The key-management API's request and answer shapes. Requests are the dashboard's own input
 * schemas (lib/keys/key-input.schema.ts), so both enforce the same rules; answers describe
 * lib/keys' KeyView, which is parsed from an explicit column list and holds no secret or hash.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const time = () => z.iso.datetime();

export const apiKeySchema = component(
  "ApiKey",
  z.object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    prefix: z.string().meta({ description: "The first 12 characters of the secret." }),
    last4: z.string().meta({ description: "The last 4 characters of the secret." }),
    status: z.enum(KEY_STATUSES),
    created_by: z.uuid(),
    creator_email: z.string().nullable(),
    scopes: z.array(scopeComponent),
    rate_limit_per_minute: z.number().int().meta({ description: "The limit the key's creator chose (requests per minute)." }),
    rate_limit_enforced: z.number().int().meta({ description: "What the API enforces: the chosen limit capped by the plan's ceiling." }),
    plan_name: z.string().meta({ description: "The team's plan." }),
    ip_allowlist: z.array(z.string()),
    use_cap: z.number().int().nullable(),
    expires_at: time().nullable(),
    disabled_reason: z.enum(["user", "admin", "member_removed"]).nullable(),
    disabled_by: z.uuid().nullable(),
    disabled_by_email: z.string().nullable(),
    rotated_from_id: z.uuid().nullable(),
    replaced_by_id: z.uuid().nullable(),
    grace_until: time().nullable().meta({ description: "When a rotated key stops working." }),
    ends_at: time().nullable().meta({ description: "When the key stops working: the rotation grace end when sooner than the expiry; null = never." }),
    created_at: time(),
    last_used_at: time().nullable(),
    last_used_ip: z.string().nullable(),
    calls_this_month: z.number().int().meta({ description: `Admitted calls this calendar month (UTC). ${COUNT_DEFINITIONS.admitted.definition}` }),
    calls_total: z.number().int().meta({ description: `Admitted calls since the key was created. ${COUNT_DEFINITIONS.admitted.definition}` }),
  }),
);

const expiresInDays = z
  .number()
  .int("expires_in_days must be a whole number.")
  .min(1, "expires_in_days must be at least 1.")
  .max(MAX_EXPIRY_DAYS, `expires_in_days can be at most ${MAX_EXPIRY_DAYS}.`)
  .meta({ description: `Instead of expires_at: the key expires this many days from now (1 to ${MAX_EXPIRY_DAYS}).` });

/** The dashboard's create input, plus `expires_in_days` as another way to say the expiry. */
export const createKeyBodySchema = component(
  "CreateKeyInput",
  z
    .object({ ...createKeyInputSchema.shape, expires_in_days: expiresInDays.optional() })
    .refine((v) => v.expires_in_days === undefined || v.expires_at == null, { message: "Send expires_at or expires_in_days, not both.", path: ["expires_in_days"] })
    .transform(({ expires_in_days, ...rest }) =>
      expires_in_days === undefined ? rest : { ...rest, expires_at: new Date(Date.now() + expires_in_days * DAY_MS).toISOString() },
    ),
  { input: true },
);

export const updateKeyBodySchema = component("UpdateKeyInput", updateKeyInputSchema, { input: true });
export const rotateKeyBodySchema = component("RotateKeyInput", rotateKeyInputSchema, { input: true });

const limitSchema = z.object({
  used: z.number().int().meta({ description: "Keys in use (neither revoked nor replaced by a rotation)." }),
  max: z.number().int(),
  plan: z.string(),
});

export const createdKeySchema = component(
  "CreatedKey",
  z.object({ secret: z.string().meta({ description: "The full key. Shown this once; only its hash is stored." }), key: apiKeySchema }),
);
export const rotatedKeySchema = component(
  "RotatedKey",
  z.object({
    secret: z.string().meta({ description: "The replacement's full key. Shown this once." }),
    key: apiKeySchema,
    previous: apiKeySchema.meta({ description: "The rotated key: it works until grace_until." }),
  }),
);
export const keyListSchema = component(
  "KeyList",
  z.object({
    data: z.array(apiKeySchema),
    next_cursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last page." }),
    limit: limitSchema,
  }),
);

export const keyListQuerySchema = z.object({
  status: z.enum([...KEY_STATUSES, "all"]).optional(),
  cursor: z.uuid({ message: "The cursor is not valid." }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const meSchema = component(
  "Me",
  z.object({
    key: apiKeySchema,
    team: z.object({ id: z.uuid(), name: z.string(), plan: planSchemaOut }),
    creator: z.object({ id: z.uuid(), email: z.string().nullable(), role: z.enum(TEAM_ROLES) }),
    limits: z.object({
      rate_limit_per_minute: z.number().int(),
      use_cap: z.number().int().nullable(),
      monthly_quota: z.number().int().meta({ description: "Metered calls the team's plan includes this month." }),
      quota_used: z.number().int().meta({ description: `Metered calls this month. ${COUNT_DEFINITIONS.metered.definition}` }),
      quota_resets_at: time(),
      key_limit: z.number().int().meta({ description: "Keys the team's plan allows." }),
    }),
  }),
);
