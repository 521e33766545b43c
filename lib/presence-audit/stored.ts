import { z } from "zod";
import { SUPPORTED_CURRENCIES } from "./rates";

export const MODEL_VERSION = "1" as const;

/** Actions that come from a concrete gap in the profile. */
export const IMPROVEMENT_ACTION_IDS = [
  "improve_rating",
  "get_reviews",
  "add_photos",
  "respond_reviews",
  "post_updates",
  "add_website",
  "add_hours",
  "add_phone",
  "improve_description",
] as const;

/**
 * Zero-gain fillers used when fewer than three improvements apply, so the
 * response always has exactly three actions. Order here is the fill order.
 */
export const MAINTAIN_ACTION_IDS = ["maintain_reviews", "maintain_photos", "monitor_competitors"] as const;

export const ACTION_IDS = [...IMPROVEMENT_ACTION_IDS, ...MAINTAIN_ACTION_IDS] as const;
export type ActionId = (typeof ACTION_IDS)[number];

/**
 * The persisted form of an audit. Money stays unrounded in the currency the
 * request was priced in (`currency`, the currency of average_ticket), so
 * re-rendering in that same currency reproduces the original response
 * exactly and other currencies are one conversion away. Texts are not stored:
 * they are re-rendered from `params` in whatever language is asked for.
 */
export const storedAuditSchema = z
  .object({
    model_version: z.literal(MODEL_VERSION),
    audit_id: z.string().min(1),
    business_id: z.string().min(1),
    generated_at: z.string().min(1),
    score: z.number().int().min(0).max(100),
    currency: z.enum(SUPPORTED_CURRENCIES),
    revenue_lost_monthly: z.number().min(0),
    actions: z
      .array(
        z
          .object({
            id: z.enum(ACTION_IDS),
            score_gain: z.number().int().min(0).max(100),
            revenue_monthly: z.number().min(0),
            params: z.record(z.string(), z.number()),
          })
          .strict(),
      )
      .length(3),
  })
  .strict();

export type StoredAudit = z.output<typeof storedAuditSchema>;
export type StoredAction = StoredAudit["actions"][number];
