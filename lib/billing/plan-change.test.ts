import { describe, expect, it } from "vitest";
import { PLANS } from "@/lib/plans";
import { isDowngrade, planChangeEffects } from "./plan-change";

describe("plan change effects", () => {
  it("a downgrade says what will change: keys, rate caps, quota, overage", () => {
    const effects = planChangeEffects(PLANS.business, PLANS.free, 4);
    expect(effects).toHaveLength(4);
    expect(effects[0]).toContain("Your 4 keys keep working, but Free allows 2");
    expect(effects[1]).toContain("capped at 10 requests per minute");
    expect(effects[1]).toContain("keeps the limit you chose");
    expect(effects[2]).toContain("100 calls");
    expect(effects[3]).toContain("Overage is refused");
  });

  it("Business → Pro keeps overage; nothing is said about it", () => {
    const effects = planChangeEffects(PLANS.business, PLANS.pro);
    expect(effects.some((e) => e.includes("Overage"))).toBe(false);
    expect(effects[0]).toContain("At most 5 keys");
  });

  it("an upgrade lowers nothing", () => {
    expect(planChangeEffects(PLANS.free, PLANS.business)).toEqual([]);
    expect(isDowngrade(PLANS.free, PLANS.business)).toBe(false);
    expect(isDowngrade(PLANS.pro, PLANS.free)).toBe(true);
  });
});
