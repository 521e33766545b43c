import { describe, expect, it } from "vitest";
import { keyStatusText, rateLimitText } from "./key-status-text";

describe("key status and rate texts", () => {
  it("an exhausted key says how many of its uses are spent", () => {
    expect(keyStatusText({ status: "exhausted", use_cap: 5, calls_total: 5 })).toBe("Exhausted · 5 of 5 uses");
    expect(keyStatusText({ status: "active", use_cap: 5, calls_total: 3 })).toBe("Active");
  });

  it("the rate shows the chosen limit and, when the plan caps it, the enforced one", () => {
    expect(rateLimitText({ rate_limit_per_minute: 60, rate_limit_enforced: 10, plan_name: "Free" })).toBe("60/min, capped at 10 by the Free plan");
    expect(rateLimitText({ rate_limit_per_minute: 30, rate_limit_enforced: 30, plan_name: "Pro" })).toBe("30/min");
  });
});
