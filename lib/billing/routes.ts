import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { AppError, invalidInput } from "@/lib/errors";
import { readBodyCapped } from "@/lib/http/read-body";
import { readJsonBody } from "@/lib/http/read-input";
import { PLAN_IDS, type PlanId } from "@/lib/plans";
import { stripeFromEnv } from "./stripe-client";

/** The configured Stripe client, or a 409 explaining that billing is in development mode. */
export function requireStripe(): Stripe {
  const s = stripeFromEnv();
  if (!s) throw new AppError("conflict", "Stripe is not configured: plans change directly on the billing page (development mode).");
  return s;
}

const checkoutBody = z.object({ plan: z.enum(PLAN_IDS) });

/**
 * The plan to check out: from the billing page's HTML form (`plan=pro`, urlencoded, works before
 * hydration) or a JSON body `{plan}` read by the shared reader. 400 for another plan name, 413
 * past 4 KiB (form) or 64 KiB (JSON), 415 for any other media type.
 */
export async function readCheckoutPlan(req: Request): Promise<PlanId> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded")) return (await readJsonBody(req, checkoutBody)).plan;
  const text = await readBodyCapped(req, 4096);
  if (text === null) throw new AppError("payload_too_large", "The body is too large.");
  const parsed = checkoutBody.safeParse({ plan: new URLSearchParams(text).get("plan") ?? undefined });
  if (!parsed.success) throw invalidInput(parsed.error, "Choose a plan: pro or business.");
  return parsed.data.plan;
}
