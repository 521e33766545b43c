import type { PlanId } from "@/lib/plans";

/**
 * What `npm run stripe:setup` creates in Stripe (idempotently, found again by lookup key) and
 * what Checkout sells. Amounts in the currency's minor unit (USD cents); the overage price is
 * per call in cents as a decimal string (Stripe's `unit_amount_decimal`).
 */
export const METER_EVENT_NAME = "llavero_api_overage";

export interface PaidPlanCatalog {
  plan: Exclude<PlanId, "free">;
  productName: string;
  baseLookupKey: string;
  baseUnitAmount: number;
  overageLookupKey: string;
  overageUnitAmountDecimal: string;
}

export const CATALOG: readonly PaidPlanCatalog[] = [
  { plan: "pro", productName: "Llavero Pro", baseLookupKey: "llavero_pro_monthly", baseUnitAmount: 2900, overageLookupKey: "llavero_pro_overage", overageUnitAmountDecimal: "1" },
  { plan: "business", productName: "Llavero Business", baseLookupKey: "llavero_business_monthly", baseUnitAmount: 9900, overageLookupKey: "llavero_business_overage", overageUnitAmountDecimal: "0.5" },
];

export const CURRENCY = "usd";

/** The plan a subscription item's price stands for, from its lookup key; null for anything else. */
export function planForLookupKey(lookupKey: string | null | undefined): Exclude<PlanId, "free"> | null {
  return CATALOG.find((c) => c.baseLookupKey === lookupKey)?.plan ?? null;
}

export function catalogFor(plan: PlanId): PaidPlanCatalog | null {
  return CATALOG.find((c) => c.plan === plan) ?? null;
}

/** Estimated overage cost in USD cents (the plan's per-call price times calls). */
export function overageCostCents(plan: PlanId, calls: number): number {
  const c = catalogFor(plan);
  return c ? Math.round(Number(c.overageUnitAmountDecimal) * calls * 100) / 100 : 0;
}
