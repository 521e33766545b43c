import { describe, expect, it } from "vitest";
import { graceUntil } from "./rotation";

const now = new Date("2026-11-22T10:00:00.000Z");

describe("graceUntil", () => {
  it.each([
    ["none", "2026-11-22T10:00:00.000Z"],
    ["1h", "2026-11-22T11:00:00.000Z"],
    ["24h", "2026-11-23T10:00:00.000Z"],
    ["7d", "2026-11-29T10:00:00.000Z"],
  ] as const)("%s without expiry", (grace, expected) => {
    expect(graceUntil(now, grace, null).toISOString()).toBe(expected);
  });

  it("never runs past the old key's own expiry", () => {
    const expiry = new Date("2026-11-22T12:00:00.000Z");
    expect(graceUntil(now, "7d", expiry)).toEqual(expiry);
    expect(graceUntil(now, "1h", expiry).toISOString()).toBe("2026-11-22T11:00:00.000Z");
  });
});
