import { describe, expect, it } from "vitest";
import { filterParams, hasFilters, parseFilters } from "./use-usage";

describe("parseFilters", () => {
  it("keeps every value the API accepts", () => {
    const params = new URLSearchParams({ status: "client_error", endpoint: "/api/public/audit/{audit_id}", from: "2026-11-01", to: "2026-11-30" });
    expect(parseFilters(params)).toEqual({ status: "client_error", endpoint: "/api/public/audit/{audit_id}", from: "2026-11-01", to: "2026-11-30" });
  });

  it("drops unknown statuses and endpoints, and malformed or impossible dates", () => {
    const params = new URLSearchParams({ status: "teapot", endpoint: "/api/keys", from: "2026-13-45", to: "yesterday" });
    expect(parseFilters(params)).toEqual({});
  });

  it("reads anything with get(), as Next's ReadonlyURLSearchParams", () => {
    const values: Record<string, string> = { status: "success" };
    expect(parseFilters({ get: (name) => values[name] ?? null })).toEqual({ status: "success" });
  });

  it("round-trips through filterParams", () => {
    const filters = { status: "server_error" as const, endpoint: "/api/public/ping", from: "2026-11-02" };
    expect(parseFilters(filterParams(filters))).toEqual(filters);
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters(parseFilters(new URLSearchParams()))).toBe(false);
  });
});
