import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { ifNoneMatchHits, jsonWithEtag } = await import("./etag");

describe("jsonWithEtag", () => {
  it("answers 200 with a weak ETag, then 304 without a body when If-None-Match names it", async () => {
    const first = jsonWithEtag(new Request("http://x/api/usage"), { a: 1 });
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{22}"$/);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(await first.json()).toEqual({ a: 1 });

    const again = jsonWithEtag(new Request("http://x/api/usage", { headers: { "if-none-match": etag } }), { a: 1 });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");

    const changed = jsonWithEtag(new Request("http://x/api/usage", { headers: { "if-none-match": etag } }), { a: 2 });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("ignores what validatorOf leaves out (a clock reading), but not the rest", () => {
    const at = (as_of: string, n: number) => jsonWithEtag(new Request("http://x"), { n, as_of }, { validatorOf: (b) => ({ ...b, as_of: b.as_of.slice(0, 10) }) }).headers.get("etag");
    expect(at("2026-11-30T10:00:00.000Z", 1)).toBe(at("2026-11-30T10:00:05.000Z", 1));
    expect(at("2026-11-30T10:00:00.000Z", 1)).not.toBe(at("2026-12-01T00:00:00.000Z", 1));
    expect(at("2026-11-30T10:00:00.000Z", 1)).not.toBe(at("2026-11-30T10:00:00.000Z", 2));
  });

  it("compares weakly and accepts lists and *", () => {
    expect(ifNoneMatchHits('"abc"', 'W/"abc"')).toBe(true);
    expect(ifNoneMatchHits('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(ifNoneMatchHits("*", 'W/"abc"')).toBe(true);
    expect(ifNoneMatchHits('W/"abd"', 'W/"abc"')).toBe(false);
    expect(ifNoneMatchHits(null, 'W/"abc"')).toBe(false);
  });
});
