import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { readBodyCapped } from "@/lib/http/read-body";
import { PLAN_IDS, type PlanId } from "@/lib/plans";
import { stripeFromEnv } from "./stripe-client";

/** The configured Stripe client, or a 409 explaining that billing is in development mode. */
export function requireStripe(): Stripe {
  const s = stripeFromEnv();
  if (!s) throw new AppError("conflict", "Stripe is not configured: plans change directly on the billing page (development mode).");
  return s;
}

/** APP_URL when set (behind a proxy), else the origin the request came to. */
export function appUrlFor(req: Request): string {
  return (env().APP_URL ?? new URL(req.url).origin).replace(/\/$/, "");
}

const checkoutBody = z.object({ plan: z.enum(PLAN_IDS) });

/** The plan from an HTML form post (the billing page) or a JSON body; 400 otherwise. */
export async function readCheckoutPlan(req: Request): Promise<PlanId> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  const text = await readBodyCapped(req, 4096);
  if (text === null) throw new AppError("payload_too_large", "The body is too large.");
  let data: unknown;
  if (type.startsWith("application/json")) {
    try {
      data = JSON.parse(text || "{}");
    } catch {
      throw new AppError("invalid_request", "The body is not valid JSON.");
    }
  } else {
    data = Object.fromEntries(new URLSearchParams(text));
  }
  const parsed = checkoutBody.safeParse(data);
  if (!parsed.success) throw new AppError("invalid_request", "Choose a plan: pro or business.");
  return parsed.data.plan;
}
