import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  KEY_LENGTH,
  KEY_PREFIX,
  checksumFor,
  crc32,
  displayParts,
  generateApiKey,
  hashApiKey,
  parseApiKey,
  toBase62,
} from "@/lib/keys/format";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_SHAPE = /^sk_live_[0-9A-Za-z]{38}$/;

// Optional at runtime: zlib.crc32 only exists on Node >= 20.15 / 22.2.
const zlibCrc32 = (zlib as { crc32?: (data: string) => number }).crc32;

function replaceAt(s: string, i: number, ch: string): string {
  return s.slice(0, i) + ch + s.slice(i + 1);
}

describe("constants", () => {
  it("has the documented prefix and length", () => {
    expect(KEY_PREFIX).toBe("sk_live_");
    expect(KEY_LENGTH).toBe(46);
  });
});

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
  });

  it("matches other known vectors", () => {
    expect(crc32("")).toBe(0);
    expect(crc32("a")).toBe(0xe8b7be43);
    expect(crc32("The quick brown fox jumps over the lazy dog")).toBe(0x414fa339);
  });

  it("is unsigned", () => {
    for (let i = 0; i < 200; i++) {
      const v = crc32(`value-${i}`);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(0xffffffff);
      expect(Number.isInteger(v)).toBe(true);
    }
  });

  it.runIf(typeof zlibCrc32 === "function")("agrees with node:zlib crc32", () => {
    const inputs = ["", "123456789", "sk_live_", "héllo wörld", "\u{1F511} key"];
    for (let i = 0; i < 300; i++) inputs.push(generateApiKey().slice(0, 40));
    for (const s of inputs) expect(crc32(s)).toBe(zlibCrc32!(s));
  });
});

describe("toBase62", () => {
  it("encodes most significant digit first with 0-9A-Za-z", () => {
    expect(toBase62(0, 1)).toBe("0");
    expect(toBase62(9, 1)).toBe("9");
    expect(toBase62(10, 1)).toBe("A");
    expect(toBase62(35, 1)).toBe("Z");
    expect(toBase62(36, 1)).toBe("a");
    expect(toBase62(61, 1)).toBe("z");
    expect(toBase62(62, 2)).toBe("10");
    expect(toBase62(62 * 62 - 1, 2)).toBe("zz");
  });

  it("left-pads with 0 to the requested width", () => {
    expect(toBase62(0, 6)).toBe("000000");
    expect(toBase62(61, 6)).toBe("00000z");
    expect(toBase62(62, 6)).toBe("000010");
    expect(toBase62(0xffffffff, 6)).toBe("4gfFC3");
  });

  it("refuses values that do not fit or are not non-negative integers", () => {
    expect(() => toBase62(62 ** 2, 2)).toThrow(RangeError);
    expect(() => toBase62(-1, 6)).toThrow(RangeError);
    expect(() => toBase62(1.5, 6)).toThrow(RangeError);
  });
});

describe("checksumFor", () => {
  it("is the base62 CRC-32 of the body, 6 chars", () => {
    const body = "sk_live_" + "a".repeat(32);
    const cs = checksumFor(body);
    expect(cs).toHaveLength(6);
    expect(cs).toBe(toBase62(crc32(body), 6));
  });

  it("fits every 32-bit value in 6 chars", () => {
    expect(62 ** 6).toBeGreaterThan(0xffffffff);
  });
});

describe("generateApiKey", () => {
  it("produces 46-char keys with the prefix and base62 charset", () => {
    for (let i = 0; i < 500; i++) {
      const key = generateApiKey();
      expect(key).toHaveLength(46);
      expect(key).toMatch(KEY_SHAPE);
    }
  });

  it("produces keys whose checksum verifies", () => {
    for (let i = 0; i < 500; i++) {
      const key = generateApiKey();
      expect(key.slice(40)).toBe(checksumFor(key.slice(0, 40)));
      expect(parseApiKey(key)).toEqual({ ok: true, key });
    }
  });

  it("does not repeat", () => {
    const keys = new Set(Array.from({ length: 2000 }, generateApiKey));
    expect(keys.size).toBe(2000);
  });

  it("has a roughly uniform character distribution", () => {
    const N = 20_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      for (const ch of generateApiKey().slice(8, 40)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    for (const ch of BASE62) expect(counts.has(ch)).toBe(true);

    // 640k samples, ~10,323 expected per char (sd ~100, i.e. ~1%). A 6% bound
    // is ~6 sd, so it never flakes, yet still catches plain `byte % 62`
    // without rejection, which over-represents "0"-"7" by ~21%.
    const expected = (N * 32) / 62;
    for (const [ch, n] of counts) {
      expect(Math.abs(n - expected) / expected, `char ${ch} count ${n}`).toBeLessThan(0.06);
    }
  });
});

describe("parseApiKey", () => {
  const key = generateApiKey();

  it("accepts a valid key and trims surrounding whitespace", () => {
    expect(parseApiKey(key)).toEqual({ ok: true, key });
    expect(parseApiKey(`  ${key}\n`)).toEqual({ ok: true, key });
    expect(parseApiKey(`\t${key} `)).toEqual({ ok: true, key });
  });

  it("rejects any single-character change in the random part or checksum", () => {
    for (let i = KEY_PREFIX.length; i < KEY_LENGTH; i++) {
      const original = key[i]!;
      // Try several replacements per position, not just one, for a stronger check.
      const replacements = [...BASE62].filter((c) => c !== original).slice(0, 5);
      replacements.push(BASE62[(BASE62.indexOf(original) + 31) % 62]!);
      for (const ch of replacements) {
        const tampered = replaceAt(key, i, ch);
        expect(parseApiKey(tampered), `position ${i} -> ${ch}`).toEqual({
          ok: false,
          reason: "checksum",
        });
      }
    }
  });

  it("rejects adjacent transpositions in the random part", () => {
    for (let i = KEY_PREFIX.length; i < 39; i++) {
      if (key[i] === key[i + 1]) continue;
      const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
      expect(parseApiKey(swapped).ok).toBe(false);
    }
  });

  it("rejects a wrong prefix as format", () => {
    for (const p of ["sk_test_", "SK_LIVE_", "pk_live_", "sk-live-"]) {
      expect(parseApiKey(p + key.slice(8))).toEqual({ ok: false, reason: "format" });
    }
    // Even when the checksum is recomputed for the new prefix.
    const body = "sk_test_" + key.slice(8, 40);
    expect(parseApiKey(body + checksumFor(body))).toEqual({ ok: false, reason: "format" });
  });

  it("rejects wrong lengths as format", () => {
    expect(parseApiKey("")).toEqual({ ok: false, reason: "format" });
    expect(parseApiKey("   ")).toEqual({ ok: false, reason: "format" });
    expect(parseApiKey(KEY_PREFIX)).toEqual({ ok: false, reason: "format" });
    expect(parseApiKey(key.slice(0, -1))).toEqual({ ok: false, reason: "format" });
    expect(parseApiKey(key + "0")).toEqual({ ok: false, reason: "format" });
    expect(parseApiKey(key + key)).toEqual({ ok: false, reason: "format" });
  });

  it("rejects non-base62 characters as format", () => {
    for (const ch of ["-", "_", "+", "/", "=", " ", ".", "é", "\u0000"]) {
      expect(parseApiKey(replaceAt(key, 20, ch)), JSON.stringify(ch)).toEqual({
        ok: false,
        reason: "format",
      });
      expect(parseApiKey(replaceAt(key, 44, ch)), JSON.stringify(ch)).toEqual({
        ok: false,
        reason: "format",
      });
    }
  });

  it("does not trim inner whitespace", () => {
    expect(parseApiKey(key.slice(0, 20) + " " + key.slice(21)).ok).toBe(false);
  });
});

describe("hashApiKey", () => {
  it("is 64 lower-case hex chars and deterministic", () => {
    const key = generateApiKey();
    const h = hashApiKey(key);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(h);
    expect(hashApiKey(generateApiKey())).not.toBe(h);
  });

  it("is plain SHA-256", () => {
    expect(hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("displayParts", () => {
  it("returns the 12-char prefix and the last 4 chars", () => {
    const key = generateApiKey();
    const parts = displayParts(key);
    expect(parts.prefix).toHaveLength(12);
    expect(parts.prefix).toBe(key.slice(0, 12));
    expect(parts.prefix.startsWith(KEY_PREFIX)).toBe(true);
    expect(parts.last4).toHaveLength(4);
    expect(parts.last4).toBe(key.slice(42));
  });

  it("works on a fixed example", () => {
    const body = "sk_live_" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
    const key = body + checksumFor(body);
    expect(displayParts(key)).toEqual({ prefix: "sk_live_ABCD", last4: key.slice(-4) });
  });
});
