import { randomBytes } from "node:crypto";

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (what `new Webhook()` takes). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
