import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { idempotencyKeyOf, requestHash, seal, unseal } from "./idempotency";

const SECRET = "sk_live_Qm7pV3xN8kR2wT5yL9aF4hJ6dS1gB0zEc2Rt";

describe("idempotencyKeyOf", () => {
  it("reads the header, absent as null", () => {
    expect(idempotencyKeyOf(new Headers({ "idempotency-key": "5b3a0e54-2f0c" }))).toBe("5b3a0e54-2f0c");
    expect(idempotencyKeyOf(new Headers())).toBeNull();
  });
  it.each(["", " ", "has space", "x".repeat(256), "ünï"])("refuses %j with invalid_request", (v) => {
    const h = new Headers();
    // Headers refuses some byte strings itself; those never reach us.
    try {
      h.set("idempotency-key", v);
    } catch {
      return;
    }
    expect(() => idempotencyKeyOf(h)).toThrow(AppError);
  });
});

describe("requestHash", () => {
  it("differs by method, path and body", () => {
    const base = requestHash("POST", "/api/public/keys", '{"name":"a"}');
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(requestHash("POST", "/api/public/keys", '{"name":"a"}')).toBe(base);
    expect(requestHash("POST", "/api/public/keys", '{"name":"b"}')).not.toBe(base);
    expect(requestHash("POST", "/api/public/keys/x/revoke", '{"name":"a"}')).not.toBe(base);
    expect(requestHash("PATCH", "/api/public/keys", '{"name":"a"}')).not.toBe(base);
  });
});

describe("seal / unseal", () => {
  const answer = { ok: true as const, body: { secret: "sk_live_newsecret", key: { id: "k" } }, summary: null };
  it("round-trips with the same key and Idempotency-Key, and holds nothing in clear", () => {
    const sealed = seal(answer, SECRET, "idem-1");
    expect(JSON.stringify(sealed)).not.toContain("sk_live_");
    expect(unseal(sealed, SECRET, "idem-1")).toEqual(answer);
  });
  it("cannot be read with another key or Idempotency-Key, nor after tampering", () => {
    const sealed = seal(answer, SECRET, "idem-1");
    expect(() => unseal(sealed, SECRET.replace("Qm7p", "Qm7q"), "idem-1")).toThrow();
    expect(() => unseal(sealed, SECRET, "idem-2")).toThrow();
    const ct = Buffer.from(sealed.ct, "base64");
    ct[0]! ^= 1;
    expect(() => unseal({ ...sealed, ct: ct.toString("base64") }, SECRET, "idem-1")).toThrow();
  });
});
