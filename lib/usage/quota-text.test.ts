import { describe, expect, it } from "vitest";
import { planOverageLine, projectionNote, quotaSentences } from "./quota-text";
import type { UsageSummary } from "./usage.schema";

const base: UsageSummary["quota"] = {
  used: 2_150,
  limit: 2_000,
  overage: 150,
  month: "2026-11",
  projected: 3_000,
  resets_at: "2026-12-01T00:00:00.000Z",
  overage_allowed: true,
  billing_mode: "none",
};

describe("the usage page's quota sentences (issue 13, item 4)", () => {
  it("in development mode never says overage is billed", () => {
    const s = quotaSentences(base, "Pro");
    expect(s.headline).toBe("2,150 metered calls this month; the Pro plan's quota is 2,000");
    expect(s.split).toBe("2,000 within the quota of the plan in force when they were made, 150 calls overage.");
    expect(s.billing).toBe("Billing is not configured (development mode): nothing is charged for overage.");
    expect(`${s.billing} ${s.policy} ${projectionNote(base)}`).not.toMatch(/billed|invoice/);
  });

  it("with Stripe says how overage is billed", () => {
    const q = { ...base, billing_mode: "stripe" as const };
    const s = quotaSentences(q, "Pro");
    expect(s.billing).toBe("Overage is reported to Stripe as it happens and billed on the subscription's next invoice.");
    expect(s.policy).toBe("Further metered calls are served as overage and billed on the next invoice.");
    expect(projectionNote(q)).toBe("Calls past the quota are served and billed as overage on the next invoice.");
  });

  it("after a downgrade does not write the month's calls as 'X of <new quota>' nor recount them as overage", () => {
    const s = quotaSentences({ ...base, used: 21_184, limit: 100, overage: 0, overage_allowed: false }, "Free");
    expect(s.headline).toBe("21,184 metered calls this month; the Free plan's quota is 100");
    expect(s.split).toBeNull();
    expect(s.policy).toBe("The Free plan allows no overage: further metered calls are refused until the quota resets.");
  });

  it("within the quota reads 'X of Y' with no overage sentence", () => {
    const s = quotaSentences({ ...base, used: 4, limit: 100, overage: 0 }, "Free");
    expect(s).toEqual({ headline: "4 of 100 metered calls this month", split: null, billing: null, policy: null });
  });
});

describe("planOverageLine", () => {
  it("never says overage is billed in development mode (the plan cards once did)", () => {
    expect(planOverageLine(true, "none")).not.toMatch(/billed/);
    expect(planOverageLine(true, "stripe")).toBe("Overage allowed and billed");
    expect(planOverageLine(false, "none")).toBe("Calls refused past the quota");
  });
});
