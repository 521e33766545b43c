// POST /api/stripe/webhook: Stripe's events, verified on the raw body (see lib/billing/webhook.ts).
import { randomUUID } from "node:crypto";
import { stripeFromEnv } from "@/lib/billing/stripe-client";
import { handleStripeWebhook } from "@/lib/billing/webhook";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/envelope";

export async function POST(req: Request): Promise<Response> {
  const requestId = randomUUID();
  const stripe = stripeFromEnv();
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!stripe || !secret) return errorResponse(new AppError("not_found", "Stripe is not configured."), requestId);
  // The exact bytes Stripe signed: never parse before verifying.
  const raw = await req.text();
  try {
    const r = await handleStripeWebhook({ db: await getDb(), stripe, webhookSecret: secret, graceDays: env().BILLING_GRACE_DAYS }, raw, req.headers.get("stripe-signature"));
    if (r.status === 400) return errorResponse(new AppError("invalid_request", "The Stripe signature is missing, wrong or older than 300 seconds."), requestId);
    return Response.json({ received: true, outcome: r.outcome }, { headers: { "x-request-id": requestId } });
  } catch (err) {
    // Our own failure: 500 so Stripe retries the event later.
    console.error(`[${requestId}] stripe webhook failed: ${(err as Error)?.message ?? "unknown error"}`);
    return errorResponse(new AppError("internal_error", "The event could not be applied; Stripe will retry."), requestId);
  }
}
