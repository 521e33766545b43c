import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { AuthError, createSession, createUser, deleteSession, userForSession, verifyCredentials } from "@/lib/auth/builtin";
import { testDatabases, type TestDatabase } from "../databases";

describe.each(testDatabases())("built-in auth on $name", ({ open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
  });
  afterAll(async () => {
    setDbForTesting(undefined);
    await t?.dispose();
  });

  const pw = "a long enough password";

  it("stores a scrypt hash, never the password, and refuses a second account for the same email", async () => {
    await createUser("Alice@Example.com", pw);
    const { rows } = await t.db.query<{ encrypted_password: string }>("select encrypted_password from auth.users where lower(email) = 'alice@example.com'");
    expect(rows[0]!.encrypted_password).toMatch(/^scrypt\$/);
    expect(rows[0]!.encrypted_password).not.toContain(pw);
    await expect(createUser("alice@example.com", pw)).rejects.toMatchObject({ code: "email_taken" });
  });

  it("verifies credentials case-insensitively on the email", async () => {
    const u = await verifyCredentials("ALICE@example.com", pw, "198.51.100.1");
    expect(u.email).toBe("Alice@Example.com");
    await expect(verifyCredentials("alice@example.com", "wrong password!", "198.51.100.1")).rejects.toMatchObject({ code: "invalid_credentials" });
    await expect(verifyCredentials("nobody@example.com", pw, "198.51.100.1")).rejects.toMatchObject({ code: "invalid_credentials" });
  });

  // Issue 9 item 3: this test used to assert the lockout itself (5 failures from 5 IPs refused
  // the right password from a 6th). The limit now applies per (email, IP).
  it("throttles repeated failures per email and IP, even for the right password, and says when to retry", async () => {
    await createUser("bob@example.com", pw);
    for (let i = 0; i < 5; i++) {
      await expect(verifyCredentials("bob@example.com", `wrong-${i}-password`, "203.0.113.9")).rejects.toMatchObject({ code: "invalid_credentials" });
    }
    const err = await verifyCredentials("bob@example.com", pw, "203.0.113.9").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).code).toBe("throttled");
    expect((err as AuthError).message).toMatch(/Try again in \d+ minutes?\./);
    // Once the window has passed, the right password works again and clears the failures.
    await t.db.query("update auth.llavero_sign_in_failures set failed_at = now() - interval '16 minutes' where email = 'bob@example.com'");
    expect((await verifyCredentials("bob@example.com", pw, "203.0.113.9")).email).toBe("bob@example.com");
  });

  it("throttles one IP that tries many emails", async () => {
    for (let i = 0; i < 30; i++) {
      await expect(verifyCredentials(`spray${i}@example.com`, "whatever password", "192.0.2.50")).rejects.toMatchObject({ code: "invalid_credentials" });
    }
    await expect(verifyCredentials("alice@example.com", pw, "192.0.2.50")).rejects.toMatchObject({ code: "throttled" });
    expect((await verifyCredentials("alice@example.com", pw, "192.0.2.51")).email).toBe("Alice@Example.com");
  });

  it("sessions are opaque tokens stored hashed, and end on sign-out or expiry", async () => {
    const u = await verifyCredentials("alice@example.com", pw, "198.51.100.1");
    const s = await createSession(u.id);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { rows } = await t.db.query<{ token_hash: string }>("select token_hash from auth.llavero_sessions where user_id = $1", [u.id]);
    expect(rows.map((r) => r.token_hash)).not.toContain(s.token);
    expect((await userForSession(s.token))?.id).toBe(u.id);
    expect(await userForSession("not-a-token")).toBeNull();
    await deleteSession(s.token);
    expect(await userForSession(s.token)).toBeNull();
    const s2 = await createSession(u.id);
    await t.db.query("update auth.llavero_sessions set expires_at = now() - interval '1 second'");
    expect(await userForSession(s2.token)).toBeNull();
  });
});
