import { z } from "zod";
import { SUPPORTED_LANGS } from "./audit-input.schema";
import { SUPPORTED_CURRENCIES } from "./rates";
import { ACTION_IDS, MODEL_VERSION } from "./stored";

/** What the public API answers about audits (lib/presence-audit/service.ts builds these). */

export const langOutSchema = z.enum(SUPPORTED_LANGS);
export const currencyOutSchema = z.enum(SUPPORTED_CURRENCIES);

/** An audit's states, as audits.status's check constraint lists them. */
export const AUDIT_STATUSES = ["queued", "running", "completed", "failed"] as const;

export const auditAcceptedSchema = z.object({
  audit_id: z.string(),
  status: z.literal("queued"),
  result_url: z.string().meta({ format: "uri-reference", description: "The path of GET /api/public/audit/{audit_id} for this audit, relative to the server." }),
});

export const auditActionSchema = z.object({
  id: z.enum(ACTION_IDS),
  title: z.string(),
  detail: z.string(),
  score_gain: z.number().int().min(0).max(100),
  revenue_monthly: z.number().min(0).meta({ description: "Monthly revenue recovered, in the result's currency." }),
});

export const auditResultSchema = z.object({
  business_id: z.string(),
  score: z.number().int().min(0).max(100),
  revenue_lost: z.object({ monthly: z.number().min(0), currency: currencyOutSchema }),
  top_actions: z.array(auditActionSchema).length(3).meta({ description: "Exactly three, largest gain first." }),
  meta: z.object({
    audit_id: z.string(),
    generated_at: z.iso.datetime(),
    lang: langOutSchema,
    currency: currencyOutSchema,
    model_version: z.literal(MODEL_VERSION),
  }),
});

export const auditStatusSchema = z.object({
  audit_id: z.string(),
  status: z.enum(AUDIT_STATUSES),
  result: auditResultSchema.optional().meta({ description: "Present when status is completed." }),
  error: z.string().optional().meta({ description: "Present when status is failed: why, in words." }),
});
