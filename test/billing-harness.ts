import { afterAll, beforeAll } from "vitest";
import { setDbForTesting } from "@/lib/db";
import type { TestDatabase } from "./databases";
import Stripe from "stripe";
import { setupStripeCatalog } from "@/lib/billing/setup";
import { createStripe, resetStripeClient } from "@/lib/billing/stripe-client";
import { resetEnvCache } from "@/lib/env";
import type { Database } from "@/lib/db/types";
import { startStripeStandin, type Standin } from "@/stripe-standin/server";
import type { StripeObject } from "@/stripe-standin/store";
import { addMember, createTeamAs, createUser } from "./fixtures";

/**
 * Billing suites' shared setup: the Stripe stand-in in this process on a random port, the real
 * SDK pointed at it through the app's own environment variables, and the catalog created by the
 * same code as `npm run stripe:setup`.
 */
export const WEBHOOK_SECRET = "whsec_test_billing_suite_secret";
const signer = new Stripe("sk_test_signer");

export interface BillingHarness {
  standin: Standin;
  stripe: Stripe;
  close(): Promise<void>;
}

export async function startBillingHarness(): Promise<BillingHarness> {
  const standin = await startStripeStandin({ webhookSecret: WEBHOOK_SECRET });
  const saved = { key: process.env.STRIPE_SECRET_KEY, base: process.env.STRIPE_API_BASE, secret: process.env.STRIPE_WEBHOOK_SECRET };
  process.env.STRIPE_SECRET_KEY = "sk_test_billing_suite";
  process.env.STRIPE_API_BASE = standin.url;
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
  resetEnvCache();
  resetStripeClient();
  const stripe = createStripe({ secretKey: "sk_test_billing_suite", apiBase: standin.url });
  await setupStripeCatalog(stripe);
  return {
    standin,
    stripe,
    async close() {
      for (const [k, v] of [["STRIPE_SECRET_KEY", saved.key], ["STRIPE_API_BASE", saved.base], ["STRIPE_WEBHOOK_SECRET", saved.secret]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvCache();
      resetStripeClient();
      await standin.close();
    },
  };
}

let n = 0;
export async function billingTeam(db: Database) {
  const tag = `${Date.now().toString(36)}-${n++}`;
  const owner = await createUser(db, `owner-${tag}@example.com`);
  const admin = await createUser(db, `admin-${tag}@example.com`);
  const member = await createUser(db, `member-${tag}@example.com`);
  const teamId = await createTeamAs(db, owner, `Team ${tag}`);
  await addMember(db, teamId, admin, "admin");
  await addMember(db, teamId, member, "member");
  return { teamId, owner, admin, member, ownerEmail: `owner-${tag}@example.com` };
}

/** Signs a payload as Stripe does and posts it to the app's webhook route handler. */
export async function postWebhook(
  post: (req: Request) => Promise<Response>,
  event: StripeObject | Record<string, unknown>,
  opts: { secret?: string; timestamp?: number } = {},
): Promise<{ status: number; body: { received?: boolean; outcome?: string; error?: { code: string } } }> {
  const payload = JSON.stringify(event);
  const header = signer.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? WEBHOOK_SECRET, timestamp: opts.timestamp });
  const res = await post(new Request("http://localhost/api/stripe/webhook", { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": header } }));
  return { status: res.status, body: await res.json() };
}

/** The stand-in's events about one subscription, of the given type, oldest first. */
export function eventsFor(standin: Standin, subscriptionId: string, type?: string): StripeObject[] {
  return standin.store.events.filter((e) => {
    if (type && e.type !== type) return false;
    const o = (e.data as { object: Record<string, unknown> }).object;
    const parent = o.parent as { subscription_details?: { subscription?: string } } | undefined;
    return o.id === subscriptionId || o.subscription === subscriptionId || parent?.subscription_details?.subscription === subscriptionId;
  });
}

/**
 * One billing suite's setup per database: opens it, points the app at it, starts the Stripe
 * stand-in before the suite and closes all three after it (`beforeClose` runs first). Read
 * `suite.t` and `suite.h` inside tests (they are set once `beforeAll` has run).
 */
export function useBillingSuite(open: () => Promise<TestDatabase>, opts: { beforeClose?: () => unknown } = {}): { t: TestDatabase; h: BillingHarness } {
  const suite = {} as { t: TestDatabase; h: BillingHarness };
  beforeAll(async () => {
    suite.t = await open();
    setDbForTesting(suite.t.db);
    suite.h = await startBillingHarness();
  });
  afterAll(async () => {
    await opts.beforeClose?.();
    await suite.h?.close();
    setDbForTesting(undefined);
    await suite.t?.dispose();
  });
  return suite;
}
