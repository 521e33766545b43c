import { z } from "zod";
import { licenseJwks, issueLicense, LICENSE_TTL_SECONDS } from "@/lib/billing/license";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/state";
import { subscriptionStatus } from "@/lib/billing/subscription-status";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { PLAN_IDS } from "@/lib/plans";
import { siteOrigin } from "@/lib/site-url";
import { keyedEndpoint, openEndpoint } from "../endpoint";
import { component, dateTime } from "../schemas";

const days = () => z.number().int().min(0);

export const subscriptionResponseSchema = component(
  "Subscription",
  z.object({
    plan: z
      .object({ id: z.enum(PLAN_IDS), name: z.string(), price: z.number().min(0).meta({ description: "Monthly base price in `currency`." }), currency: z.literal("USD") })
      .meta({ description: "The plan whose limits apply now (Free once an unpaid subscription's grace period ran out)." }),
    status: z.enum([...SUBSCRIPTION_STATUSES, "free"]).meta({ description: "Stripe's subscription status, or free for a team without a subscription." }),
    is_in_trial: z.boolean(),
    trial_days_remaining: days(),
    trial_ends_at: dateTime().nullable(),
    current_period_end: dateTime().nullable(),
    days_until_expiry: days().nullable().meta({ description: "Whole days to the end of the trial (while trialing) or of the current period; null without one." }),
    cancel_at_period_end: z.boolean(),
    needs_payment: z.boolean().meta({ description: "True for past_due, unpaid, incomplete, and a trial that ended unpaid." }),
  }),
);

export const licenseResponseSchema = component(
  "License",
  z.object({
    token: z.string().meta({ description: "A compact JWS (EdDSA, `kid` in the header) with jti, sub (the team), iss, iat, exp, plan, status and limits." }),
    expires_at: dateTime(),
    jti: z.uuid(),
  }),
);

export const jwksResponseSchema = component(
  "Jwks",
  z.object({
    keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.string(), use: z.literal("sig") }).loose()),
  }),
);

const TRIALING_EXAMPLE = {
  plan: { id: "pro" as const, name: "Pro", price: 29, currency: "USD" as const },
  status: "trialing" as const,
  is_in_trial: true,
  trial_days_remaining: 12,
  trial_ends_at: "2026-12-05T10:00:00.000Z",
  current_period_end: "2026-12-05T10:00:00.000Z",
  days_until_expiry: 12,
  cancel_at_period_end: false,
  needs_payment: false,
};

/** GET /api/public/subscription: the team's plan and subscription, for the customer's own apps. */
export const subscription = keyedEndpoint({
  method: "GET",
  path: "/api/public/subscription",
  scope: null,
  metered: false,
  response: { status: 200, schema: subscriptionResponseSchema },
  handler: async ({ call, db }) => {
    const body = await subscriptionStatus(db, call.team_id);
    return { body, summary: { plan: body.plan.id, status: body.status } };
  },
  docs: {
    operationId: "getSubscription",
    summary: "The team's subscription",
    description:
      "Whether the team may go on: plan, Stripe's status (or `free`), trial days left, the end of the period, and whether a payment is needed. Any valid key may call it; it does not count toward the quota.",
    tag: "Billing",
    response: {
      description: "The team's subscription now.",
      examples: {
        trialing: { summary: "Pro, in its 15-day trial", value: TRIALING_EXAMPLE },
        free: {
          summary: "No subscription",
          value: { ...TRIALING_EXAMPLE, plan: { id: "free", name: "Free", price: 0, currency: "USD" }, status: "free", is_in_trial: false, trial_days_remaining: 0, trial_ends_at: null, current_period_end: null, days_until_expiry: null },
        },
        past_due: {
          summary: "A payment failed",
          value: { ...TRIALING_EXAMPLE, status: "past_due", is_in_trial: false, trial_days_remaining: 0, trial_ends_at: null, current_period_end: "2026-12-20T10:00:00.000Z", days_until_expiry: 20, needs_payment: true },
        },
      },
    },
  },
});

/** POST /api/public/license: a signed 24-hour license token for offline checks. */
export const license = keyedEndpoint({
  method: "POST",
  path: "/api/public/license",
  scope: null,
  metered: false,
  response: { status: 200, schema: licenseResponseSchema },
  handler: async ({ call, db }) => {
    const s = await subscriptionStatus(db, call.team_id);
    const body = await issueLicense(db, { teamId: call.team_id, plan: s.plan.id, status: s.status }, { envPem: env().LICENSE_SIGNING_KEY, issuer: siteOrigin() });
    // The jti identifies the token; the token itself is not logged.
    return { body, summary: { jti: body.jti, plan: s.plan.id, status: s.status } };
  },
  docs: {
    operationId: "issueLicense",
    summary: "A license token",
    description: `A signed token (EdDSA JWS) your app can check offline against \`GET /api/public/jwks.json\`, valid ${LICENSE_TTL_SECONDS / 3600} h: \`sub\` is the team, with \`plan\`, \`status\` and \`limits\`. Needs no body. Any valid key may call it; it does not count toward the quota.`,
    tag: "Billing",
    response: {
      description: "The token, when it expires, and its id.",
      examples: {
        issued: { summary: "A token", value: { token: "eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiIsInR5cCI6IkpXVCJ9.eyJwbGFuIjoicHJvIn0.c2lnbmF0dXJl", expires_at: "2026-12-01T10:00:00.000Z", jti: "0b7f3a8e-5c1d-4e2a-9f6b-3d8c1a2e4f50" } },
      },
    },
  },
});

/** GET /api/public/jwks.json: the public keys that verify license tokens; needs no key. */
export const jwks = openEndpoint({
  method: "GET",
  path: "/api/public/jwks.json",
  response: { status: 200, schema: jwksResponseSchema as unknown as z.ZodType<{ keys: Array<Record<string, unknown>> }> },
  handler: async () => {
    const body = await licenseJwks(await getDb(), { envPem: env().LICENSE_SIGNING_KEY });
    // A rotated key stays in the set 24 h, so five minutes of caching never hides a live key.
    return { body: body as { keys: Array<Record<string, unknown>> }, headers: { "cache-control": "public, max-age=300" } };
  },
  docs: {
    operationId: "licenseJwks",
    summary: "License signing keys",
    description: "The public keys (JWKS) that verify license tokens; match the token's `kid`. A rotated key stays listed for 24 h. Needs no key; cacheable for 5 minutes.",
    tag: "Billing",
    response: {
      description: "The key set.",
      examples: { keys: { summary: "One Ed25519 key", value: { keys: [{ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", alg: "EdDSA", use: "sig" }] } } },
    },
  },
});
