import { describe, expect, it } from "vitest";
import type { UsageSummary } from "@/lib/usage/usage.schema";
import { callsByKey, callsByStatus, daysBetween, describeCall, errorRate, formatCount, keyTotals, longDay, monthEndLabel, shortDay, statusClassOf } from "./usage-format";

describe("days", () => {
  it("lists UTC days inclusive, across a month end", () => {
    expect(daysBetween("2026-11-29", "2026-12-02")).toEqual(["2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]);
    expect(daysBetween("2026-11-02", "2026-11-01")).toEqual([]);
  });

  it("labels days and month ends in UTC, whatever the viewer's zone", () => {
    expect(shortDay("2026-11-20")).toBe("Nov 20");
    expect(longDay("2026-11-20")).toBe("Fri, Nov 20, 2026");
    expect(monthEndLabel("2026-02")).toBe("Feb 28");
    expect(monthEndLabel("nonsense")).toBe("the end of the month");
  });
});

describe("numbers", () => {
  it("formats counts with separators and error rates with one decimal under 10 %", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(errorRate(0, 0)).toBe("—");
    expect(errorRate(0, 10)).toBe("0%");
    expect(errorRate(1, 8)).toBe("13%");
    expect(errorRate(1, 40)).toBe("2.5%");
  });

  it("classes statuses as the usage roll-up does", () => {
    expect(statusClassOf(null)).toBeNull();
    expect(statusClassOf(200)).toBe("success");
    expect(statusClassOf(202)).toBe("success");
    expect(statusClassOf(404)).toBe("client_error");
    expect(statusClassOf(429)).toBe("client_error");
    expect(statusClassOf(500)).toBe("server_error");
  });
});

describe("describeCall", () => {
  it("says what a call was about from its summary", () => {
    expect(describeCall({ summary: { rfc: "GODE561231GR8", valid: true } })).toBe("RFC GODE561231GR8 — valid");
    expect(describeCall({ summary: { business_id: "place-1", score: 42 } })).toBe("business place-1 — score 42");
    expect(describeCall({ summary: { business_id: "place-1", audit_id: "a" } })).toBe("business place-1 — audit queued");
    expect(describeCall({ summary: null })).toBe("—");
  });
});

describe("chart data", () => {
  const summary: Pick<UsageSummary, "from" | "as_of" | "daily" | "keys"> = {
    from: "2026-11-01",
    as_of: "2026-11-03T12:00:00.000Z",
    keys: [
      { id: "k1", name: "Prod", prefix: "sk_live_aaaa", last4: "1111", previous: false, attempts: 7, admitted: 6 },
      { id: "k2", name: "Idle", prefix: "sk_live_bbbb", last4: "2222", previous: false, attempts: 0, admitted: 0 },
    ],
    daily: [
      { day: "2026-11-01", key_id: "k1", status_class: "success", calls: 5 },
      { day: "2026-11-03", key_id: "k1", status_class: "client_error", calls: 2 },
      { day: "2026-11-03", key_id: "gone-key-id", status_class: "server_error", calls: 1 },
    ],
  };

  it("fills every day of the range, with a series per key that had calls", () => {
    const { rows, series } = callsByKey(summary);
    expect(rows.map((r) => r.day)).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(series.map((s) => s.name)).toEqual(["Prod", "Key gone-key"]);
    expect(rows.map((r) => r.total)).toEqual([5, 0, 3]);
    expect(rows[2]!.k1).toBe(2);
  });

  it("names rotated generations apart in the legend", () => {
    const rotated = {
      ...summary,
      keys: [
        { id: "k1", name: "Prod", prefix: "sk_live_aaaa", last4: "1111", previous: true, attempts: 5, admitted: 5 },
        { id: "k2", name: "Prod", prefix: "sk_live_bbbb", last4: "2222", previous: false, attempts: 1, admitted: 1 },
      ],
      daily: [
        { day: "2026-11-01", key_id: "k1", status_class: "success" as const, calls: 5 },
        { day: "2026-11-02", key_id: "k2", status_class: "success" as const, calls: 1 },
      ],
    };
    expect(callsByKey(rotated).series.map((s) => s.name)).toEqual(["Prod · sk_live_aaaa…1111 (previous)", "Prod · sk_live_bbbb…2222"]);
  });

  it("splits calls by status class", () => {
    const { rows } = callsByStatus(summary);
    expect(rows[2]).toMatchObject({ success: 0, client_error: 2, server_error: 1, total: 3 });
  });

  it("totals attempts, admitted, refused and errors per known key, busiest first, leaving idle keys out", () => {
    expect(keyTotals(summary).map((k) => ({ id: k.id, attempts: k.attempts, admitted: k.admitted, refused: k.refused, errors: k.errors }))).toEqual([
      { id: "k1", attempts: 7, admitted: 6, refused: 1, errors: 2 },
    ]);
  });
});
