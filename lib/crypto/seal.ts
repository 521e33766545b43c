// The one AES-256-GCM implementation of the app. Server side only: it handles keys and secrets.
// No `import "server-only"`: the webhook delivery worker (`npm run worker`, tsx outside Next)
// opens sealed endpoint secrets through it, and "server-only" throws outside Next's server build.
// Nothing here reads the environment; callers pass their keys (lib/crypto/at-rest-key.ts holds
// the server's at-rest key, lib/keys/first-key.ts and lib/public-api/idempotency.ts derive theirs).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** AES-256: every key is exactly 32 bytes. */
export const SEAL_KEY_BYTES = 32;
const IV_BYTES = 12; // GCM's standard nonce; random per seal (2^32 seals per key stay far below the collision bound)
const TAG_BYTES = 16;

/**
 * Why a sealed value could not be opened. `malformed`: not an envelope (or truncated);
 * `unknown_key`: sealed under a key id that is not configured; `auth_failed`: the key, the
 * associated data or the bytes do not match (wrong key, tampering, a value moved to another row).
 * The message never contains the plaintext, the key or the sealed bytes.
 */
export class SealError extends Error {
  constructor(
    readonly reason: "malformed" | "unknown_key" | "auth_failed",
    message: string,
  ) {
    super(message);
    this.name = "SealError";
  }
}

/** The three parts GCM produces; callers that keep their own storage format pack them themselves. */
export interface GcmParts {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function checkKey(key: Buffer): void {
  if (key.length !== SEAL_KEY_BYTES) throw new TypeError(`An AES-256-GCM key is ${SEAL_KEY_BYTES} bytes, not ${key.length}.`);
}

/**
 * AES-256-GCM of `plaintext` (a string is taken as UTF-8) under `key` (32 bytes) with a fresh
 * random 12-byte IV. `aad` (associated data: authenticated, not encrypted) binds the result to
 * its context (a row id, a user); opening needs the same `aad`. Throws TypeError for a key of
 * the wrong length.
 */
export function gcmSeal(key: Buffer, plaintext: Buffer | string, aad?: Buffer | string): GcmParts {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/**
 * The plaintext bytes of `parts`. Throws SealError `auth_failed` when the key, the `aad` or any
 * byte differs (GCM never returns garbage: the tag is checked before anything is returned), and
 * `malformed` for an IV or tag of the wrong size.
 */
export function gcmOpen(key: Buffer, parts: GcmParts, aad?: Buffer | string): Buffer {
  checkKey(key);
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) throw new SealError("malformed", "The sealed value is malformed.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, parts.iv, { authTagLength: TAG_BYTES });
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
  } catch {
    throw new SealError("auth_failed", "The sealed value does not open with this key and context (wrong key, or altered).");
  }
}

/** `iv ‖ ciphertext ‖ tag` in one buffer. */
export function packGcm(parts: GcmParts): Buffer {
  return Buffer.concat([parts.iv, parts.ciphertext, parts.tag]);
}

/** The inverse of packGcm. Throws SealError `malformed` when shorter than an IV and a tag. */
export function unpackGcm(packed: Buffer): GcmParts {
  if (packed.length < IV_BYTES + TAG_BYTES) throw new SealError("malformed", "The sealed value is malformed.");
  return {
    iv: packed.subarray(0, IV_BYTES),
    ciphertext: packed.subarray(IV_BYTES, packed.length - TAG_BYTES),
    tag: packed.subarray(packed.length - TAG_BYTES),
  };
}

/**
 * A key's public name: the first 4 bytes of SHA-256(key), as 8 hex digits. It tells which key
 * sealed a value (so a wrong key is reported, not tried) and reveals nothing usable about a
 * random 256-bit key.
 */
export function keyId(key: Buffer): string {
  checkKey(key);
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** Keys that open envelopes: `current` seals, `previous` (older keys, during a key rotation) only open. */
export interface Keyring {
  current: Buffer;
  previous?: readonly Buffer[];
}

/** The envelope's fixed start; the whole is `sealed.v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>`. */
export const ENVELOPE_PREFIX = "sealed.v1.";
const ENVELOPE_RE = /^sealed\.v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)$/;

/**
 * Seals `plaintext` (UTF-8) under the keyring's current key, bound to `aad`. Returns the ASCII
 * envelope `sealed.v1.<key id>.<base64url>`: versioned so the format can change, and naming its
 * key so a value sealed under another key fails with a clear error instead of being tried.
 */
export function sealEnvelope(plaintext: string, keyring: Keyring, aad: string): string {
  const sealed = packGcm(gcmSeal(keyring.current, plaintext, aad));
  return `${ENVELOPE_PREFIX}${keyId(keyring.current)}.${sealed.toString("base64url")}`;
}

/** True when `value` has the envelope's shape (says nothing about which key opens it). */
export function isEnvelope(value: string): boolean {
  return ENVELOPE_RE.test(value);
}

/** The key id an envelope names, or null when `value` is not an envelope. */
export function envelopeKeyId(value: string): string | null {
  return ENVELOPE_RE.exec(value)?.[1] ?? null;
}

/**
 * The plaintext of an envelope made by sealEnvelope with the same `aad`, opened with whichever
 * keyring key it names. Throws SealError: `malformed` (not an envelope), `unknown_key` (the key
 * it names is neither the current nor a previous key; the message names the key id and the
 * configured ones, never key material), `auth_failed` (altered, or another row's value).
 */
export function openEnvelope(envelope: string, keyring: Keyring, aad: string): string {
  const m = ENVELOPE_RE.exec(envelope);
  if (!m) throw new SealError("malformed", "The value is not a sealed envelope (sealed.v1.…).");
  const [, id, body] = m as unknown as [string, string, string];
  const keys = [keyring.current, ...(keyring.previous ?? [])];
  const key = keys.find((k) => keyId(k) === id);
  if (!key) {
    throw new SealError(
      "unknown_key",
      `The value was sealed with key ${id}, which is not configured (configured: ${keys.map(keyId).join(", ")}). ` +
        `Set LLAVERO_ENCRYPTION_KEY, or LLAVERO_ENCRYPTION_KEY_PREVIOUS during a key rotation, to the key that sealed it.`,
    );
  }
  return gcmOpen(key, unpackGcm(Buffer.from(body, "base64url")), aad).toString("utf8");
}
