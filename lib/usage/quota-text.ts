import { splitMetered } from "./definitions";
import type { UsageSummary } from "./usage.schema";

const n = (v: number) => v.toLocaleString("en-US");
const calls = (v: number) => `${n(v)} call${v === 1 ? "" : "s"}`;

/**
 * The usage page's quota sentences (issue 13, item 4), from the summary's quota alone so every
 * page that words the quota says the same thing:
 * - `headline`: this month's metered calls against the quota of the plan in force now. When the
 *   count is past that quota (a downgrade, or overage) it is not written "X of Y".
 * - `split`: when some calls were overage, how many were within the quota *of the plan in force
 *   when each was made* and how many were overage (team_usage.overage, counted per call).
 * - `billing`: what happens to overage, in the words of the billing mode: with Stripe it is
 *   reported to Stripe and billed on the next invoice; without Stripe (development mode) nothing
 *   is charged.
 * - `policy`: what happens to the next calls once the current plan's quota is used up.
 */
export function quotaSentences(q: Pick<UsageSummary["quota"], "used" | "limit" | "overage" | "overage_allowed" | "billing_mode">, planName: string) {
  const { included, overage } = splitMetered(q.used, q.overage);
  const stripe = q.billing_mode === "stripe";
  const headline =
    q.used <= q.limit
      ? `${n(q.used)} of ${n(q.limit)} metered calls this month`
      : `${n(q.used)} metered calls this month; the ${planName} plan's quota is ${n(q.limit)}`;
  const split = overage > 0 ? `${n(included)} within the quota of the plan in force when they were made, ${calls(overage)} overage.` : null;
  const billing =
    overage > 0
      ? stripe
        ? "Overage is reported to Stripe as it happens and billed on the subscription's next invoice."
        : "Billing is not configured (development mode): nothing is charged for overage."
      : null;
  let policy: string | null = null;
  if (q.used >= q.limit) {
    policy = !q.overage_allowed
      ? `The ${planName} plan allows no overage: further metered calls are refused until the quota resets.`
      : stripe
        ? "Further metered calls are served as overage and billed on the next invoice."
        : "Further metered calls are served as overage; nothing is charged in development mode.";
  }
  return { headline, split, billing, policy };
}

/** The projection's follow-up when the month is on course to pass the quota, in the billing mode's words. */
export function projectionNote(q: Pick<UsageSummary["quota"], "projected" | "limit" | "overage_allowed" | "billing_mode">): string | null {
  if (q.projected === null || q.projected <= q.limit) return null;
  if (!q.overage_allowed) return "Calls past the quota are refused until it resets.";
  return q.billing_mode === "stripe"
    ? "Calls past the quota are served and billed as overage on the next invoice."
    : "Calls past the quota are served as overage; nothing is charged in development mode.";
}

/** A plan card's overage line (billing and plan pages), in the billing mode's words. */
export function planOverageLine(overageAllowed: boolean, billingMode: UsageSummary["quota"]["billing_mode"]): string {
  if (!overageAllowed) return "Calls refused past the quota";
  return billingMode === "stripe" ? "Overage allowed and billed" : "Overage allowed (nothing is charged in development mode)";
}
