import { createHash, randomBytes } from "node:crypto";

/**
 * API key format: `sk_live_` + 32 random base62 chars + 6-char base62 CRC-32
 * checksum of everything before it. The checksum lets us reject typos and
 * truncated pastes without touching the database; it is NOT a security
 * control (anyone can compute it), the SHA-256 lookup is.
 */

export const KEY_PREFIX = "sk_live_";
export const KEY_LENGTH = 46;

const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const BODY_LENGTH = KEY_PREFIX.length + RANDOM_LENGTH; // 40

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE62_CHARS = /^[0-9A-Za-z]*$/;

// 248 = 4 * 62: the largest multiple of 62 that fits in a byte, so accepting
// only bytes below it makes `byte % 62` exactly uniform.
const REJECTION_LIMIT = 248;

// Table-driven rather than zlib.crc32 so the module does not depend on the
// Node minor version (zlib.crc32 landed in 20.15 / 22.2); tests cross-check
// against zlib where available.
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const utf8 = new TextEncoder();

/** CRC-32 (IEEE 802.3, same as zlib) of the UTF-8 bytes of `text`; unsigned. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of utf8.encode(text)) {
    crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Base62 (0-9A-Za-z), most significant digit first, left-padded with "0" to `width`. */
export function toBase62(n: number, width: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`toBase62 expects a non-negative safe integer, got ${n}`);
  }
  let out = "";
  let rest = n;
  do {
    out = BASE62[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  // Silently truncating would produce a checksum that can never verify.
  if (out.length > width) {
    throw new RangeError(`${n} does not fit in ${width} base62 digits`);
  }
  return out.padStart(width, "0");
}

/** The 6-character checksum for `body` (= `sk_live_` + the 32 random chars). */
export function checksumFor(body: string): string {
  return toBase62(crc32(body), CHECKSUM_LENGTH);
}

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    // Over-draw so one call almost always suffices (acceptance rate is 248/256).
    for (const byte of randomBytes(length + 8)) {
      if (byte < REJECTION_LIMIT) {
        out += BASE62[byte % 62]!;
        if (out.length === length) break;
      }
    }
  }
  return out;
}

export function generateApiKey(): string {
  const body = KEY_PREFIX + randomBase62(RANDOM_LENGTH);
  return body + checksumFor(body);
}

export type ParsedApiKey = { ok: true; key: string } | { ok: false; reason: "format" | "checksum" };

/** Validates shape and checksum only; says nothing about whether the key exists. */
export function parseApiKey(raw: string): ParsedApiKey {
  const key = raw.trim();
  if (
    key.length !== KEY_LENGTH ||
    !key.startsWith(KEY_PREFIX) ||
    !BASE62_CHARS.test(key.slice(KEY_PREFIX.length))
  ) {
    return { ok: false, reason: "format" };
  }
  const body = key.slice(0, BODY_LENGTH);
  if (key.slice(BODY_LENGTH) !== checksumFor(body)) {
    return { ok: false, reason: "checksum" };
  }
  return { ok: true, key };
}

/**
 * SHA-256 hex. An unsalted fast hash is appropriate here because the key has
 * ~190 bits of entropy, so there is nothing to brute-force, and lookups must be
 * a deterministic index hit.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Non-secret fragments safe to store and show so users can tell keys apart. */
export function displayParts(key: string): { prefix: string; last4: string } {
  return {
    prefix: key.slice(0, KEY_PREFIX.length + 4),
    last4: key.slice(-4),
  };
}
