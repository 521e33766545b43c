import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertSameOriginRequest } from "./same-origin";

const SITE = "https://portal.example.com";
const check = (method: string, h: Record<string, string>) => () => assertSameOriginRequest(method, new Headers(h), SITE);
const refusedWith = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : "other";
  }
  return "passed";
};

describe("assertSameOriginRequest", () => {
  it("lets safe methods through whatever their origin", () => {
    for (const m of ["GET", "HEAD", "OPTIONS", "get"]) expect(refusedWith(check(m, { origin: "https://evil.example" }))).toBe("passed");
  });

  it.each([
    [{ "sec-fetch-site": "same-origin", "content-type": "application/json" }, "passed"],
    [{ origin: SITE, "content-type": "application/json; charset=utf-8" }, "passed"],
    [{ "sec-fetch-site": "same-site", origin: SITE, "content-type": "application/json" }, "403 cross_site_request"],
    [{ "sec-fetch-site": "cross-site", "content-type": "application/json" }, "403 cross_site_request"],
    [{ "sec-fetch-site": "none", "content-type": "application/json" }, "403 cross_site_request"],
    [{ origin: "https://portal.example.com.evil.example", "content-type": "application/json" }, "403 cross_site_request"],
    [{ origin: "http://portal.example.com", "content-type": "application/json" }, "403 cross_site_request"],
    [{ origin: "null", "content-type": "application/json" }, "403 cross_site_request"],
    [{ "content-type": "application/json" }, "403 cross_site_request"],
    [{ origin: SITE, "content-type": "application/x-www-form-urlencoded" }, "403 cross_site_request"],
    [{ origin: SITE, "content-type": "text/plain" }, "403 cross_site_request"],
    [{ origin: SITE }, "403 cross_site_request"],
  ])("POST with %o → %s", (h, want) => {
    expect(refusedWith(check("POST", h))).toBe(want);
    expect(refusedWith(check("PATCH", h))).toBe(want);
  });

  it.each([
    [{ "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" }, "passed"],
    [{ origin: SITE, "content-type": "application/x-www-form-urlencoded" }, "passed"],
    [{ "sec-fetch-site": "same-site", origin: SITE, "content-type": "application/x-www-form-urlencoded" }, "403 cross_site_request"],
    [{ "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" }, "403 cross_site_request"],
    [{ origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }, "403 cross_site_request"],
    [{ "content-type": "application/x-www-form-urlencoded" }, "403 cross_site_request"],
  ])("a form-accepting route (Stripe redirects) still needs the origin proof: POST with %o → %s", (h, want) => {
    expect(refusedWith(() => assertSameOriginRequest("POST", new Headers(h), SITE, { acceptForms: true }))).toBe(want);
  });
});
