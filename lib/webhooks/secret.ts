import { randomBytes } from "node:crypto";
import { atRestKeyring } from "@/lib/crypto/at-rest-key";
import { isEnvelope, openEnvelope, sealEnvelope, type Keyring } from "@/lib/crypto/seal";

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (what `new Webhook()` takes). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/**
 * The associated data of an endpoint's sealed secrets: the endpoint's id, the same for `secret`
 * and `previous_secret` (a rotation moves the sealed value from one to the other as is), so a
 * sealed value copied onto another endpoint's row does not open.
 */
function aad(endpointId: string): string {
  return `llavero.webhook_endpoints.secret:${endpointId}`;
}

/**
 * What is stored in `webhook_endpoints.secret`/`previous_secret` for the clear `secret` of
 * endpoint `endpointId`: the `sealed.v1.…` envelope (lib/crypto/seal.ts) under the at-rest key.
 * Throws what loading the key throws (MissingEncryptionKeyError).
 */
export function sealWebhookSecret(secret: string, endpointId: string, keyring: Keyring = atRestKeyring()): string {
  return sealEnvelope(secret, keyring, aad(endpointId));
}

/** True for a secret stored before encryption at rest (`whsec_…` in clear), which the app seals at start. */
export function isLegacyClearSecret(stored: string): boolean {
  return !isEnvelope(stored) && stored.startsWith("whsec_");
}

/**
 * The clear `whsec_…` secret of a stored column value: the envelope opened with the at-rest
 * keyring, or a legacy clear value as is (until sealStoredWebhookSecrets, lib/webhooks/secrets-at-rest.ts, has sealed it). Throws
 * SealError (lib/crypto/seal.ts) for a value sealed under a key that is not configured, altered,
 * or belonging to another endpoint; the message never contains a secret.
 */
export function openWebhookSecret(stored: string, endpointId: string, keyring: Keyring = atRestKeyring()): string {
  if (isLegacyClearSecret(stored)) return stored;
  return openEnvelope(stored, keyring, aad(endpointId));
}
