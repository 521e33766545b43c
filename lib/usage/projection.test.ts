import { describe, expect, it } from "vitest";
import { projectMonthEnd } from "./projection";

describe("projectMonthEnd", () => {
  it("extrapolates linearly over the calendar month (UTC)", () => {
    // 15 of 30 days of November elapsed.
    expect(projectMonthEnd(1000, new Date("2026-11-16T00:00:00Z"))).toBe(2000);
    // 21 of 31 days of December.
    expect(projectMonthEnd(2100, new Date("2026-12-22T00:00:00Z"))).toBe(3100);
  });
  it("makes no projection in the month's first day (it once said 2,685 from four calls in the first hour)", () => {
    expect(projectMonthEnd(5, new Date("2026-11-01T00:30:00Z"))).toBeNull();
    expect(projectMonthEnd(4, new Date("2026-12-01T01:04:00Z"))).toBeNull();
    expect(projectMonthEnd(4, new Date("2026-12-01T23:59:59Z"))).toBeNull();
  });
  it("equals usage at the very end of the month", () => {
    expect(projectMonthEnd(777, new Date("2026-11-30T23:59:59.999Z"))).toBe(777);
  });
});
