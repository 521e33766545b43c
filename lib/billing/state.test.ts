import { describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { daysLeft, effectivePlan, snapshotFromSubscription, type BillingState } from "./state";

const now = new Date("2026-11-30T12:00:00Z");
const day = 86_400_000;
const base: BillingState = { subscribedPlan: "pro", status: "active", pastDueSince: null, cancelAtPeriodEnd: false, currentPeriodEnd: new Date(now.getTime() + 10 * day) };

describe("effectivePlan", () => {
  it("keeps the plan while trialing or active", () => {
    expect(effectivePlan(base, now, 7)).toBe("pro");
    expect(effectivePlan({ ...base, status: "trialing" }, now, 7)).toBe("pro");
  });
  it("keeps the plan inside the grace period and falls to Free after it", () => {
    const s = { ...base, status: "past_due" as const, pastDueSince: new Date(now.getTime() - 6 * day) };
    expect(effectivePlan(s, now, 7)).toBe("pro");
    expect(effectivePlan({ ...s, pastDueSince: new Date(now.getTime() - 7 * day) }, now, 7)).toBe("free");
    expect(effectivePlan({ ...s, status: "unpaid", pastDueSince: new Date(now.getTime() - 8 * day) }, now, 7)).toBe("free");
    expect(effectivePlan({ ...s, pastDueSince: new Date(now.getTime() - 1000) }, now, 0)).toBe("free");
  });
  it("is Free when canceled, incomplete, or without a subscription", () => {
    for (const status of ["canceled", "incomplete", "incomplete_expired", "paused"] as const) expect(effectivePlan({ ...base, status }, now, 7)).toBe("free");
    expect(effectivePlan({ ...base, subscribedPlan: null }, now, 7)).toBe("free");
  });
  it("keeps a plan set to cancel until the period ends", () => {
    expect(effectivePlan({ ...base, cancelAtPeriodEnd: true }, now, 7)).toBe("pro");
    expect(effectivePlan({ ...base, cancelAtPeriodEnd: true, currentPeriodEnd: new Date(now.getTime() - 1) }, now, 7)).toBe("free");
  });
});

describe("daysLeft", () => {
  it("rounds up and never goes negative", () => {
    expect(daysLeft(new Date(now.getTime() + 15 * day - 5000), now)).toBe(15);
    expect(daysLeft(new Date(now.getTime() + 1), now)).toBe(1);
    expect(daysLeft(new Date(now.getTime() - day), now)).toBe(0);
    expect(daysLeft(null, now)).toBe(0);
  });
});

describe("snapshotFromSubscription", () => {
  it("reads the plan from the base price's lookup key and the period from the items", () => {
    const sub = {
      id: "sub_1",
      customer: "cus_1",
      status: "trialing",
      trial_end: 1_800_000_000,
      cancel_at_period_end: false,
      items: {
        data: [
          { price: { lookup_key: "llavero_pro_overage" }, current_period_end: 1_800_000_500 },
          { price: { lookup_key: "llavero_pro_monthly" }, current_period_end: 1_800_000_000 },
        ],
      },
    } as unknown as Stripe.Subscription;
    const s = snapshotFromSubscription(sub);
    expect(s).toMatchObject({ subscriptionId: "sub_1", customerId: "cus_1", plan: "pro", status: "trialing", cancelAtPeriodEnd: false });
    expect(s.trialEnd?.getTime()).toBe(1_800_000_000_000);
    expect(s.currentPeriodEnd?.getTime()).toBe(1_800_000_000_000);
  });
});
