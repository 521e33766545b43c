// Every event's `data`, declared once. The OpenAPI `webhooks` section and the API page's event
// docs are generated from these schemas (lib/webhooks/event-docs.ts, lib/public-api/openapi-webhooks.ts);
// emitWebhookEvent validates against them.
import { z } from "zod";

export const auditCompletedData = z.object({
  audit_id: z.string().uuid().describe("The audit's id."),
  business_id: z.string().describe("The business id the audit was requested for."),
  score: z.number().describe("The audit's overall score, 0-100."),
  result_url: z.string().describe("Path of GET /api/public/audit/{audit_id}, relative to the API's base URL."),
});

export const quotaThresholdData = z.object({
  percent: z.number().int().describe("The threshold reached, in percent of the monthly quota (80, 100, or one the owner added)."),
  used: z.number().int().describe("Metered calls used this month when the threshold was noticed."),
  limit: z.number().int().describe("The team's monthly quota."),
  month: z.string().regex(/^\d{4}-\d{2}$/).describe("The UTC month, YYYY-MM."),
});

const keyRef = {
  key_id: z.string().uuid().describe("The key's id."),
  key_name: z.string().describe("The key's name."),
  key_prefix: z.string().describe("The key's first 12 characters (never the secret)."),
};

export const keyExpiringData = z.object({ ...keyRef, expires_at: z.string().describe("ISO 8601 expiry time.") });
export const keyRotatedData = z.object({
  ...keyRef,
  new_key_id: z.string().uuid().describe("The replacement key's id."),
  grace_until: z.string().describe("ISO 8601 time the old key stops working."),
});
export const keyRevokedData = z.object(keyRef);
export const KEY_DISABLED_REASONS = ["user", "admin", "member_removed"] as const;
export type KeyDisabledReason = (typeof KEY_DISABLED_REASONS)[number];
export const keyDisabledData = z.object({
  ...keyRef,
  reason: z
    .enum(KEY_DISABLED_REASONS)
    .describe("Why: `user` (a member disabled their own key), `admin` (an owner or admin disabled it; only they can enable it) or `member_removed` (its creator left the team)."),
});
export const subscriptionUpdatedData = z.object({
  plan: z.string().describe("The plan id after the change."),
  status: z.string().describe("The subscription's status."),
});
export const webhookTestData = z.object({ message: z.string().describe("A fixed sentence saying this is a test.") });

/** The `data` of every `webhook.test` message. */
export const TEST_EVENT_DATA = { message: "A test event from Llavero." };

export const webhookEventSchemas = {
  "audit.completed": auditCompletedData,
  "quota.threshold": quotaThresholdData,
  "key.expiring": keyExpiringData,
  "key.rotated": keyRotatedData,
  "key.revoked": keyRevokedData,
  "key.disabled": keyDisabledData,
  "subscription.updated": subscriptionUpdatedData,
  /** Sent only by "Send test event", to one endpoint. */
  "webhook.test": webhookTestData,
} as const;

export type WebhookEventType = keyof typeof webhookEventSchemas;
export type WebhookEventData<T extends WebhookEventType> = z.infer<(typeof webhookEventSchemas)[T]>;

/** The types an endpoint may subscribe to (the test event is not one). */
export const SUBSCRIBABLE_EVENT_TYPES = Object.keys(webhookEventSchemas).filter((t) => t !== "webhook.test") as Exclude<
  WebhookEventType,
  "webhook.test"
>[];

/** The envelope every message body has. */
export function webhookEnvelopeSchema<T extends WebhookEventType>(type: T) {
  return z.object({
    type: z.literal(type).describe("The event type; subscribe to it by this name."),
    timestamp: z.string().describe("ISO 8601 time the event happened (UTC)."),
    data: webhookEventSchemas[type].describe("The event's own fields."),
  });
}
