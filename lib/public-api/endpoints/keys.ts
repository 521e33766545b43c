import { listKeyPage, getKey, whoAmI } from "@/lib/keys/key-queries";
import { createKey, updateKey } from "@/lib/keys/lifecycle";
import { keyedEndpoint } from "../endpoint";
import { actorOfKey, asKey, keyIdIn, keyIdParams } from "../acting-key";
import { CREATE_KEY_BODY_EXAMPLE, CREATED_KEY_EXAMPLE, EXAMPLE_KEY_ID, KEY_EXAMPLE, ME_EXAMPLE } from "../key-examples";
import { apiKeySchema, createdKeySchema, createKeyBodySchema, keyListQuerySchema, keyListSchema, meSchema, updateKeyBodySchema } from "../key-schemas";

/**
 * The key-management API, part 1: who am I, create, list, read and edit. Every call runs as the
 * calling key's creator through the same lib/keys functions as the dashboard. Not metered.
 */

export const MANAGE_TAG = "Key management";
const NOT_FOUND = "That key does not exist or is not yours to manage.";
const KEY_NOT_FOUND_WHEN = "No such key visible to the calling key's creator: another team's key, a member's key seen from a member's key, or not a UUID.";

/** GET /api/public/me: the calling key, its team, plan, creator and limits. Any scope. */
export const me = keyedEndpoint({
  method: "GET",
  path: "/api/public/me",
  scope: null,
  metered: false,
  response: { status: 200, schema: meSchema },
  handler: async (ctx) => {
    const actor = await actorOfKey(ctx);
    const { key, role, plan } = await whoAmI({ ...actor, key: actor.key! });
    const { call } = ctx;
    return {
      body: {
        key,
        team: { id: call.team_id, name: call.team_name, plan: plan.id },
        creator: { id: key.created_by, email: key.creator_email, role },
        limits: {
          rate_limit_per_minute: key.rate_limit_per_minute,
          use_cap: key.use_cap,
          monthly_quota: call.quota_limit,
          quota_used: call.quota_used,
          quota_resets_at: call.quota_resets_at.toISOString(),
          key_limit: plan.keyLimit,
        },
      },
    };
  },
  docs: {
    operationId: "me",
    summary: "Who am I",
    description: "The calling key (never its secret), its team and plan, the person who created it and their role, and its limits. Any valid key may call it, whatever its scopes. Does not count toward the quota.",
    tag: MANAGE_TAG,
    response: { description: "The calling key.", examples: { manager: { summary: "A provisioning key of a Pro team", value: ME_EXAMPLE } } },
  },
});

/** POST /api/public/keys: create a key; the secret is in the answer once. */
export const createKeyEndpoint = keyedEndpoint({
  method: "POST",
  path: "/api/public/keys",
  scope: "keys:manage",
  metered: false,
  idempotent: true,
  body: createKeyBodySchema,
  response: { status: 201, schema: createdKeySchema },
  errors: ["forbidden", "limit_reached"],
  handler: async (ctx) => {
    const { secret, key } = await asKey(ctx, (actor) => createKey(actor, ctx.body));
    return { body: { secret, key }, summary: { key_id: key.id }, headers: { "cache-control": "no-store" } };
  },
  docs: {
    operationId: "createKey",
    summary: "Create a key",
    description:
      "Creates a key with the same fields and rules as the dashboard, as the calling key's creator. Scopes default to every scope but keys:manage. " +
      "The calling key cannot give a scope it lacks itself, and keys:manage only if its creator is a team owner or admin. The plan's key limit applies. " +
      "The answer holds the new key's secret, this once. Send an Idempotency-Key to retry safely.",
    tag: MANAGE_TAG,
    bodyExamples: { tenant: { summary: "A key for one tenant, 90 days", value: CREATE_KEY_BODY_EXAMPLE } },
    response: { description: "Created. Store the secret now: it is never shown again.", examples: { created: { summary: "Created", value: CREATED_KEY_EXAMPLE } } },
    errors: {
      messages: { forbidden: "This API key cannot give scopes it does not have itself: audit:write." },
      when: {
        forbidden: "A scope the calling key lacks, or keys:manage when the calling key's creator is not an owner or admin.",
        limit_reached: "The team already has as many keys as its plan allows (the same message as the dashboard).",
        invalid_request: "A field fails validation (as in the dashboard), expires_at together with expires_in_days, or a reused Idempotency-Key with another body.",
      },
      details: [{ path: "scopes.0", message: 'Invalid option: expected one of "ping"|"validate"|"audit:read"|"audit:write"|"keys:manage"' }],
    },
  },
});

/** GET /api/public/keys: the keys the creator can see, newest first, a page at a time. */
export const listKeysEndpoint = keyedEndpoint({
  method: "GET",
  path: "/api/public/keys",
  scope: "keys:manage",
  metered: false,
  query: keyListQuerySchema,
  response: { status: 200, schema: keyListSchema },
  handler: async (ctx) => ({ body: await asKey(ctx, (actor) => listKeyPage(actor, ctx.query)) }),
  docs: {
    operationId: "listKeys",
    summary: "List keys",
    description:
      "The team's keys that the calling key's creator can see (an owner or admin: all; a member: their own), newest first. " +
      "Without status, every key but revoked ones; status=all for every key. Never a secret or hash.",
    tag: MANAGE_TAG,
    parameters: {
      status: { description: "Only keys in this status, or all.", example: "active" },
      cursor: { description: "next_cursor of the previous page.", example: EXAMPLE_KEY_ID },
      limit: { description: "Keys per page, 1 to 100 (default 20).", example: 20 },
    },
    response: {
      description: "A page of keys.",
      examples: { page: { summary: "The last page", value: { data: [KEY_EXAMPLE], next_cursor: null, limit: { used: 2, max: 5, plan: "Pro" } } } },
    },
    errors: { messages: { invalid_request: "The query string is not valid." }, details: [{ path: "status", message: "Invalid option" }] },
  },
});

/** GET /api/public/keys/{key_id}: one key. */
export const getKeyEndpoint = keyedEndpoint({
  method: "GET",
  path: "/api/public/keys/{key_id}",
  scope: "keys:manage",
  metered: false,
  params: keyIdParams,
  response: { status: 200, schema: apiKeySchema },
  errors: ["not_found"],
  handler: async (ctx) => ({ body: await asKey(ctx, (actor) => getKey(actor, keyIdIn(ctx.params))) }),
  docs: {
    operationId: "getKey",
    summary: "A key",
    description: "One key of the team, if the calling key's creator can see it. Never its secret or hash.",
    tag: MANAGE_TAG,
    parameters: { key_id: { description: "The key's id.", example: EXAMPLE_KEY_ID } },
    response: { description: "The key.", examples: { key: { summary: "An active key", value: KEY_EXAMPLE } } },
    errors: { messages: { not_found: NOT_FOUND }, when: { not_found: KEY_NOT_FOUND_WHEN } },
  },
});

/** PATCH /api/public/keys/{key_id}: rename or change settings. */
export const updateKeyEndpoint = keyedEndpoint({
  method: "PATCH",
  path: "/api/public/keys/{key_id}",
  scope: "keys:manage",
  metered: false,
  params: keyIdParams,
  body: updateKeyBodySchema,
  response: { status: 200, schema: apiKeySchema },
  errors: ["forbidden", "not_found", "conflict"],
  handler: async (ctx) => ({ body: await asKey(ctx, (actor) => updateKey(actor, keyIdIn(ctx.params), ctx.body)) }),
  docs: {
    operationId: "updateKey",
    summary: "Edit a key",
    description:
      "Renames a key or changes its settings (the fields sent; the others stay). Only the key's creator may; a scope added must be one the calling key has, " +
      "and keys:manage only from an owner's or admin's key. Sending a value unchanged changes nothing.",
    tag: MANAGE_TAG,
    parameters: { key_id: { description: "The key's id.", example: EXAMPLE_KEY_ID } },
    bodyExamples: { rename: { summary: "Rename and lower the rate limit", value: { name: "tenant-42 (eu)", rate_limit_per_minute: 30 } } },
    response: { description: "The key as it now is.", examples: { key: { summary: "Renamed", value: { ...KEY_EXAMPLE, name: "tenant-42 (eu)", rate_limit_per_minute: 30 } } } },
    errors: {
      messages: { not_found: NOT_FOUND, forbidden: "Only the person who created this key can edit it." },
      when: {
        not_found: KEY_NOT_FOUND_WHEN,
        forbidden: "Another person's key, a scope the calling key lacks, or keys:manage from a member's key.",
        conflict: "The key is revoked.",
      },
      details: [{ path: "rate_limit_per_minute", message: "At most 60 on the Pro plan." }],
    },
  },
});
