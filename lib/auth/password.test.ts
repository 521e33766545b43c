import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored.startsWith("scrypt$131072$8$1$")).toBe(true);
    expect(stored).not.toContain("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterz", stored)).toBe(false);
  });

  it("salts: the same password hashes differently", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("refuses malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$1$2$3$4$5")).toBe(false);
  });
});

describe("password hashing concurrency", () => {
  it("runs at most PASSWORD_HASH_CONCURRENCY scrypt hashes at once, however many are asked for", async () => {
    const { passwordHashingStats, PASSWORD_HASH_CONCURRENCY } = await import("./password");
    const n = PASSWORD_HASH_CONCURRENCY + 3;
    const hashes = await Promise.all(Array.from({ length: n }, (_, i) => hashPassword(`password number ${i}`)));
    expect(new Set(hashes).size).toBe(n);
    expect(passwordHashingStats().peak).toBeLessThanOrEqual(PASSWORD_HASH_CONCURRENCY);
    expect(passwordHashingStats().active).toBe(0);
  }, 60_000);
});
