import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { envelopeKeyId, gcmOpen, gcmSeal, isEnvelope, keyId, openEnvelope, packGcm, SealError, sealEnvelope, unpackGcm } from "./seal";

const key = randomBytes(32);
const other = randomBytes(32);
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SealError);
    return (err as SealError).reason;
  }
  throw new Error("did not throw");
}

/** The envelope with one bit of its sealed bytes flipped (iv, ciphertext or tag, by `at`). */
function flip(envelope: string, at: number): string {
  const parts = envelope.split(".");
  const bytes = Buffer.from(parts[3]!, "base64url");
  const i = ((at % bytes.length) + bytes.length) % bytes.length;
  bytes[i] = bytes[i]! ^ 1;
  return [...parts.slice(0, 3), bytes.toString("base64url")].join(".");
}

describe("sealed envelopes", () => {
  it("round-trips, names its key, and never contains the plaintext", () => {
    const sealed = sealEnvelope(SECRET, { current: key }, "row-1");
    expect(sealed).toMatch(/^sealed\.v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
    expect(isEnvelope(sealed)).toBe(true);
    expect(envelopeKeyId(sealed)).toBe(keyId(key));
    expect(sealed).not.toContain("whsec_");
    expect(sealed).not.toContain(SECRET.slice(6, 20));
    expect(openEnvelope(sealed, { current: key }, "row-1")).toBe(SECRET);
    // A fresh IV each time: the same secret never seals to the same text.
    expect(sealEnvelope(SECRET, { current: key }, "row-1")).not.toBe(sealed);
  });

  it("fails on tampering, another context (AAD) or a wrong key, with a reason and no secret in the message", () => {
    const sealed = sealEnvelope(SECRET, { current: key }, "row-1");
    expect(reason(() => openEnvelope(flip(sealed, 0), { current: key }, "row-1"))).toBe("auth_failed"); // iv
    expect(reason(() => openEnvelope(flip(sealed, 20), { current: key }, "row-1"))).toBe("auth_failed"); // ciphertext
    expect(reason(() => openEnvelope(flip(sealed, -1), { current: key }, "row-1"))).toBe("auth_failed"); // tag
    expect(reason(() => openEnvelope(sealed, { current: key }, "row-2"))).toBe("auth_failed");
    expect(reason(() => openEnvelope(sealed, { current: other }, "row-1"))).toBe("unknown_key");
    expect(reason(() => openEnvelope("whsec_abc", { current: key }, "row-1"))).toBe("malformed");
    expect(reason(() => openEnvelope(`sealed.v1.${keyId(key)}.AAAA`, { current: key }, "row-1"))).toBe("malformed");
    try {
      openEnvelope(sealed, { current: other }, "row-1");
    } catch (err) {
      const m = (err as Error).message;
      expect(m).toContain(keyId(key)); // names the key that sealed it…
      expect(m).toContain(keyId(other)); // …and the one configured
      expect(m).toMatch(/LLAVERO_ENCRYPTION_KEY/);
      expect(m).not.toContain(key.toString("base64"));
      expect(m).not.toContain(SECRET);
    }
    // A forged key id naming the configured key still fails: the tag decides, not the id.
    const forged = sealed.replace(keyId(key), keyId(other));
    expect(reason(() => openEnvelope(forged, { current: other }, "row-1"))).toBe("auth_failed");
  });

  it("opens with a previous key and seals with the current one", () => {
    const old = sealEnvelope(SECRET, { current: other }, "row-1");
    const ring = { current: key, previous: [other] };
    expect(openEnvelope(old, ring, "row-1")).toBe(SECRET);
    expect(envelopeKeyId(sealEnvelope(SECRET, ring, "row-1"))).toBe(keyId(key));
  });

  it("raw GCM parts: wrong key and wrong AAD fail; a key of the wrong size is refused", () => {
    const parts = gcmSeal(key, "hello", "ctx");
    expect(gcmOpen(key, unpackGcm(packGcm(parts)), "ctx").toString()).toBe("hello");
    expect(reason(() => gcmOpen(other, parts, "ctx"))).toBe("auth_failed");
    expect(reason(() => gcmOpen(key, parts, "other"))).toBe("auth_failed");
    expect(reason(() => gcmOpen(key, parts))).toBe("auth_failed");
    expect(() => gcmSeal(randomBytes(16), "x")).toThrow(TypeError);
    // No AAD at all round-trips too (the idempotency store's form).
    expect(gcmOpen(key, gcmSeal(key, "plain")).toString()).toBe("plain");
  });

  it("keeps the layout the first-key reveal stored before it shared this code (iv ‖ ciphertext ‖ tag), both ways", () => {
    // What lib/keys/first-key.ts wrote with its own copy: rows written then still open.
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", key, iv);
    c.setAAD(Buffer.from("reveal:user"));
    const old = Buffer.concat([iv, c.update("sk_live_x", "utf8"), c.final(), c.getAuthTag()]);
    expect(gcmOpen(key, unpackGcm(old), "reveal:user").toString()).toBe("sk_live_x");
    const packed = packGcm(gcmSeal(key, "sk_live_y", "reveal:user"));
    const d = createDecipheriv("aes-256-gcm", key, packed.subarray(0, 12));
    d.setAAD(Buffer.from("reveal:user"));
    d.setAuthTag(packed.subarray(packed.length - 16));
    expect(Buffer.concat([d.update(packed.subarray(12, packed.length - 16)), d.final()]).toString()).toBe("sk_live_y");
  });

  it("property: any text round-trips under its own context, and any one-bit change fails", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string(), fc.nat(), (text, aad, at) => {
        const sealed = sealEnvelope(text, { current: key }, aad);
        expect(openEnvelope(sealed, { current: key }, aad)).toBe(text);
        expect(reason(() => openEnvelope(flip(sealed, at), { current: key }, aad))).toBe("auth_failed");
        expect(reason(() => openEnvelope(sealed, { current: key }, `${aad}x`))).toBe("auth_failed");
      }),
      { numRuns: 200 },
    );
  });
});
