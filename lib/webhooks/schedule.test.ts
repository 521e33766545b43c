import { describe, expect, it } from "vitest";
import { crossesPercent } from "./quota";
import { RETRY_SCHEDULE_MS, retryDelayMs } from "./schedule";
import { clipUtf8, parseRetryAfter } from "./send";

describe("retryDelayMs", () => {
  const none = { status: 500, retryAfterSeconds: null };
  it("follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h and stops after the 8th attempt", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => retryDelayMs(a, RETRY_SCHEDULE_MS, none))).toEqual([5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6]);
    expect(retryDelayMs(8, RETRY_SCHEDULE_MS, none)).toBeNull();
  });
  it("honours a longer Retry-After on 429/503 only, capped at a day", () => {
    expect(retryDelayMs(1, RETRY_SCHEDULE_MS, { status: 429, retryAfterSeconds: 60 })).toBe(60_000);
    expect(retryDelayMs(3, RETRY_SCHEDULE_MS, { status: 503, retryAfterSeconds: 60 })).toBe(1_800_000);
    expect(retryDelayMs(1, RETRY_SCHEDULE_MS, { status: 503, retryAfterSeconds: 10 ** 9 })).toBe(86_400_000);
    expect(retryDelayMs(1, RETRY_SCHEDULE_MS, { status: 500, retryAfterSeconds: 60 })).toBe(5_000);
  });
});

describe("parseRetryAfter / clipUtf8", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(60);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
  it("cuts at 1 KiB without splitting a character", () => {
    expect(Buffer.byteLength(clipUtf8("é".repeat(600)))).toBe(1024);
    expect(Buffer.byteLength(clipUtf8("a" + "é".repeat(600)))).toBe(1023);
    expect(clipUtf8("short")).toBe("short");
  });
});

describe("crossesPercent", () => {
  it("is true only for the call that reaches a new whole percent", () => {
    expect(crossesPercent(800, 1000)).toBe(true);
    expect(crossesPercent(801, 1000)).toBe(false);
    expect(crossesPercent(8000, 10000)).toBe(true);
    expect(crossesPercent(8001, 10000)).toBe(false);
    expect(crossesPercent(80, 100)).toBe(true);
    expect(crossesPercent(0, 100)).toBe(false);
    expect(crossesPercent(5, 0)).toBe(false);
    const crossings = Array.from({ length: 10000 }, (_, i) => i + 1).filter((u) => crossesPercent(u, 10000));
    expect(crossings).toHaveLength(100);
  });
});
