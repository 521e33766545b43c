import { revokeKey, rotateKey, setKeyEnabled } from "@/lib/keys/lifecycle";
import type { PublicErrorCode } from "@/lib/errors";
import { keyedEndpoint, type ErrorDocs } from "../endpoint";
import { asKey, keyIdIn, keyIdParams } from "../acting-key";
import { EXAMPLE_KEY_ID, KEY_EXAMPLE, ROTATED_KEY_EXAMPLE } from "../key-examples";
import { apiKeySchema, rotatedKeySchema, rotateKeyBodySchema } from "../key-schemas";
import { MANAGE_TAG } from "./keys";

/**
 * The key-management API, part 2: disable, enable, rotate and revoke, as the calling key's
 * creator through lib/keys (which also fires the lifecycle's webhooks). Each honours an
 * Idempotency-Key. A key may act on itself: revoking itself is answered, then it stops working.
 */

const PARAMS = { key_id: { description: "The key's id.", example: EXAMPLE_KEY_ID } };
const NOT_FOUND = "That key does not exist or is not yours to manage.";
const errorDocs = (when: Partial<Record<PublicErrorCode, string>>): ErrorDocs => ({
  messages: { not_found: NOT_FOUND },
  when: { not_found: "No such key visible to the calling key's creator (another team's key is a 404 too).", ...when },
});

/** POST /api/public/keys/{key_id}/disable */
export const disableKeyEndpoint = keyedEndpoint({
  method: "POST",
  path: "/api/public/keys/{key_id}/disable",
  scope: "keys:manage",
  metered: false,
  idempotent: true,
  params: keyIdParams,
  response: { status: 200, schema: apiKeySchema },
  errors: ["not_found", "conflict"],
  handler: async (ctx) => ({ body: await asKey(ctx, (actor) => setKeyEnabled(actor, keyIdIn(ctx.params), false)) }),
  docs: {
    operationId: "disableKey",
    summary: "Disable a key",
    description:
      "Stops a key until it is enabled again. The creator may disable their keys; an owner's or admin's key may disable any key of the team, " +
      "and then only an owner or admin can enable it. Disabling a disabled key changes nothing. No body.",
    tag: MANAGE_TAG,
    parameters: PARAMS,
    response: { description: "The key as it now is.", examples: { disabled: { summary: "Disabled by its creator", value: { ...KEY_EXAMPLE, status: "disabled", disabled_reason: "user", disabled_by: KEY_EXAMPLE.created_by, disabled_by_email: KEY_EXAMPLE.creator_email } } } },
    errors: errorDocs({ conflict: "The key is revoked." }),
  },
});

/** POST /api/public/keys/{key_id}/enable */
export const enableKeyEndpoint = keyedEndpoint({
  method: "POST",
  path: "/api/public/keys/{key_id}/enable",
  scope: "keys:manage",
  metered: false,
  idempotent: true,
  params: keyIdParams,
  response: { status: 200, schema: apiKeySchema },
  errors: ["forbidden", "not_found", "conflict"],
  handler: async (ctx) => ({ body: await asKey(ctx, (actor) => setKeyEnabled(actor, keyIdIn(ctx.params), true)) }),
  docs: {
    operationId: "enableKey",
    summary: "Enable a key",
    description: "Lets a disabled key work again. Enabling an enabled key changes nothing. No body.",
    tag: MANAGE_TAG,
    parameters: PARAMS,
    response: { description: "The key as it now is.", examples: { enabled: { summary: "Enabled", value: KEY_EXAMPLE } } },
    errors: {
      ...errorDocs({
        forbidden: "An owner or admin disabled the key and the calling key's creator is a member.",
        conflict: "The key is revoked, or was disabled because its creator left the team.",
      }),
      messages: { not_found: NOT_FOUND, forbidden: "A team owner or admin disabled this key; ask one of them to enable it." },
    },
  },
});

/** POST /api/public/keys/{key_id}/rotate */
export const rotateKeyEndpoint = keyedEndpoint({
  method: "POST",
  path: "/api/public/keys/{key_id}/rotate",
  scope: "keys:manage",
  metered: false,
  idempotent: true,
  params: keyIdParams,
  body: rotateKeyBodySchema,
  response: { status: 201, schema: rotatedKeySchema },
  errors: ["forbidden", "not_found", "conflict"],
  handler: async (ctx) => {
    const out = await asKey(ctx, (actor) => rotateKey(actor, keyIdIn(ctx.params), ctx.body.grace));
    return { body: out, summary: { key_id: out.previous.id, new_key_id: out.key.id }, headers: { "cache-control": "no-store" } };
  },
  docs: {
    operationId: "rotateKey",
    summary: "Rotate a key",
    description:
      "Makes a replacement with the same settings and answers its secret, this once. The old key keeps working for the grace period " +
      "(none, 1h, 24h or 7d; never past its own expiry), then stops. Only the key's creator may rotate it, and the calling key must have every scope the key has.",
    tag: MANAGE_TAG,
    parameters: PARAMS,
    bodyExamples: { day: { summary: "A day of overlap", value: { grace: "24h" } } },
    response: { description: "The replacement (with its secret) and the rotated key.", examples: { rotated: { summary: "Rotated with 24 h of grace", value: ROTATED_KEY_EXAMPLE } } },
    errors: {
      ...errorDocs({
        forbidden: "Another person's key, or a key with a scope the calling key lacks.",
        conflict: "The key is revoked, disabled, expired or already rotated.",
      }),
      messages: { not_found: NOT_FOUND, forbidden: "Only the person who created this key can rotate it.", conflict: "This key has already been rotated. Rotate its replacement instead." },
      details: [{ path: "grace", message: "Choose none, 1h, 24h or 7d." }],
    },
  },
});

/** POST /api/public/keys/{key_id}/revoke */
export const revokeKeyEndpoint = keyedEndpoint({
  method: "POST",
  path: "/api/public/keys/{key_id}/revoke",
  scope: "keys:manage",
  metered: false,
  idempotent: true,
  params: keyIdParams,
  response: { status: 200, schema: apiKeySchema },
  errors: ["not_found"],
  handler: async (ctx) => ({ body: await asKey(ctx, (actor) => revokeKey(actor, keyIdIn(ctx.params))) }),
  docs: {
    operationId: "revokeKey",
    summary: "Revoke a key",
    description:
      "Stops a key for good. Revoking a revoked key changes nothing. A key may revoke itself: this call is answered, and the next one with it is refused. No body.",
    tag: MANAGE_TAG,
    parameters: PARAMS,
    response: { description: "The key, revoked.", examples: { revoked: { summary: "Revoked", value: { ...KEY_EXAMPLE, status: "revoked" } } } },
    errors: errorDocs({}),
  },
});
