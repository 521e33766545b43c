import type { PlanId } from "@/lib/plans";
import type { SubscriptionStatus } from "./state";

/** GET /api/billing/status: what the billing page shows. Dates are ISO strings. */
export interface BillingOverview {
  role: "owner" | "admin" | "member";
  stripeEnabled: boolean;
  plan: { id: PlanId; name: string; overageAllowed: boolean };
  quota: { limit: number; used: number; overage: number; resetsAt: string };
  /** Owners and admins only (null for members, who see plan and quota). */
  billing: null | {
    hasCustomer: boolean;
    subscribedPlan: PlanId | null;
    status: SubscriptionStatus | null;
    trialEnd: string | null;
    trialDaysLeft: number;
    currentPeriodEnd: string | null;
    cancelAtPeriodEnd: boolean;
    pastDueSince: string | null;
    /** When a past_due team falls to Free limits (past_due_since + BILLING_GRACE_DAYS). */
    graceEndsAt: string | null;
    /** Overage calls reported to Stripe this month, and the estimate for all of this month's overage, USD cents. */
    reportedOverage: number;
    estimatedOverageCents: number;
    hardCap: number | null;
  };
}
