// Issue 9, part 1: regression tests for the throttle, admin-disable, IPv4-mapped and site-URL
// faults. Each failed before its fix.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as ping } from "@/app/api/public/ping/route";
import { GET as authCallback } from "@/app/auth/callback/route";
import { AuthError, createUser, setSignInSleepForTesting, verifyCredentials } from "@/lib/auth/builtin";
import { setDbForTesting } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { hashApiKey } from "@/lib/keys/format";
import { createKey, listKeys, setKeyEnabled, type Actor } from "@/lib/keys/lifecycle";
import { flushCallLog } from "@/lib/public-api/call-log";
import { VERIFY_SQL } from "@/lib/public-api/verify";
import { planLimitsForSql } from "@/lib/plans";
import { apiRequest, makeKey, makeTeam } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";
import { addMember, createTeamAs, createUser as createFixtureUser, queryAs } from "../fixtures";

const base = { scopes: ["ping", "validate", "audit:read", "audit:write"] as ("ping" | "validate" | "audit:read" | "audit:write")[], ip_allowlist: [] as string[] };

describe.each(testDatabases())("security hardening on $name", ({ open }) => {
  let t: TestDatabase;
  let n = 0;
  const delays: number[] = [];
  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
    setSignInSleepForTesting(async (ms) => {
      delays.push(ms);
    });
  });
  afterEach(() => {
    delays.length = 0;
  });
  afterAll(async () => {
    await flushCallLog();
    setSignInSleepForTesting(undefined);
    setDbForTesting(undefined);
    await t?.dispose();
  });

  const pw = "the owner's real password";
  const uniq = (what: string) => `${what}-${Date.now().toString(36)}-${n++}@example.com`;

  describe("sign-in and sign-up throttles", () => {
    it("wrong passwords from IP A do not stop the owner from IP B; they only slow the email down", async () => {
      const email = uniq("owner");
      await createUser(email, pw);
      for (let i = 0; i < 12; i++) {
        const code = await verifyCredentials(email, `attacker guess ${i}`, "203.0.113.66").then(
          () => "ok",
          (e: AuthError) => e.code,
        );
        expect(code).toBe(i < 5 ? "invalid_credentials" : "throttled");
      }
      // The attacker also rotates IPs: every guess is checked, but later ones wait longer.
      for (let i = 0; i < 6; i++) {
        await expect(verifyCredentials(email, `rotating guess ${i}`, `198.18.0.${i}`)).rejects.toMatchObject({ code: "invalid_credentials" });
      }
      expect(delays.length).toBeGreaterThan(0);
      expect(delays.at(-1)!).toBeGreaterThan(delays[0]!);
      delays.length = 0;
      // The owner, from their own network, gets in (after a bounded wait).
      expect((await verifyCredentials(email, pw, "192.0.2.10")).email).toBe(email);
      expect(Math.max(0, ...delays)).toBeLessThanOrEqual(8_000);
      // The owner's success does not forgive the attacker's network.
      await expect(verifyCredentials(email, pw, "203.0.113.66")).rejects.toMatchObject({ code: "throttled" });
    });

    it("sign-ups are throttled per IP, before any hashing, and other IPs are unaffected", async () => {
      for (let i = 0; i < 3; i++) await createUser(uniq("signup"), pw, { ip: "198.51.100.200", limitPerHour: 3 });
      const err = await createUser(uniq("signup"), pw, { ip: "198.51.100.200", limitPerHour: 3 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      expect((err as AuthError).code).toBe("throttled");
      expect((err as AuthError).message).toMatch(/Try again in \d+ minutes?\./);
      expect((await createUser(uniq("signup"), pw, { ip: "198.51.100.201", limitPerHour: 3 })).email).toContain("signup");
    });

    it("signing up with a registered email does not say the email is registered", async () => {
      const email = uniq("taken");
      await createUser(email, pw);
      const err = (await createUser(email.toUpperCase(), "another password!!", { ip: "198.51.100.210" }).catch((e: unknown) => e)) as AuthError;
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).not.toMatch(/already exists|is taken|registered|in use/i);
      expect(err.message).not.toContain(email);
    });
  });

  describe("an owner's or admin's disable holds", () => {
    async function team() {
      const tag = `${Date.now()}-${n++}`;
      const owner = await createFixtureUser(t.db, `owner-${tag}@example.com`);
      const admin = await createFixtureUser(t.db, `admin-${tag}@example.com`);
      const member = await createFixtureUser(t.db, `member-${tag}@example.com`);
      const teamId = await createTeamAs(t.db, owner, `Team ${tag}`);
      await addMember(t.db, teamId, admin, "admin");
      await addMember(t.db, teamId, member, "member");
      await t.db.query("update public.teams set plan = 'pro' where id = $1", [teamId]);
      const actor = (userId: string): Actor => ({ userId, teamId, ip: "198.51.100.4" });
      return { teamId, tag, owner: actor(owner), admin: actor(admin), member: actor(member) };
    }

    it("a member cannot re-enable their key after an admin disabled it; the list says who did; an owner can", async () => {
      const f = await team();
      const { key } = await createKey(f.member, { name: "member's", ...base });
      expect((await setKeyEnabled(f.admin, key.id, false)).status).toBe("disabled");
      const err = await setKeyEnabled(f.member, key.id, true).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("forbidden");
      const seen = (await listKeys(f.member, { includeRevoked: false })).keys.find((k) => k.id === key.id)!;
      expect(seen).toMatchObject({ status: "disabled", disabled_reason: "admin", disabled_by: f.admin.userId, disabled_by_email: `admin-${f.tag}@example.com` });
      expect((await setKeyEnabled(f.owner, key.id, true)).status).toBe("active");
      const after = (await listKeys(f.member, { includeRevoked: false })).keys.find((k) => k.id === key.id)!;
      expect(after).toMatchObject({ disabled_reason: null, disabled_by: null });
    });

    it("a member's own disable is theirs to undo", async () => {
      const f = await team();
      const { key } = await createKey(f.member, { name: "mine", ...base });
      expect(await setKeyEnabled(f.member, key.id, false)).toMatchObject({ status: "disabled", disabled_reason: "user", disabled_by: f.member.userId });
      expect((await setKeyEnabled(f.member, key.id, true)).status).toBe("active");
    });

    it("the database refuses the same undo from a member's own connection", async () => {
      const f = await team();
      const { key } = await createKey(f.member, { name: "sql", ...base });
      await setKeyEnabled(f.admin, key.id, false);
      const undo = "update public.api_keys set disabled_at = null, disabled_reason = null, disabled_by = null where id = $1";
      await expect(queryAs(t.db, f.member.userId, undo, [key.id])).rejects.toMatchObject({ code: "42501" });
      await expect(queryAs(t.db, f.member.userId, "update public.api_keys set disabled_reason = 'user' where id = $1", [key.id])).rejects.toMatchObject({ code: "42501" });
      // Nor can a member claim an admin's disable, or name someone else as the one who disabled.
      const other = (await createKey(f.member, { name: "other", ...base })).key.id;
      await expect(
        queryAs(t.db, f.member.userId, "update public.api_keys set disabled_at = now(), disabled_reason = 'admin' where id = $1", [other]),
      ).rejects.toMatchObject({ code: "42501" });
      await expect(
        queryAs(t.db, f.member.userId, "update public.api_keys set disabled_at = now(), disabled_reason = 'user', disabled_by = $2 where id = $1", [other, f.admin.userId]),
      ).rejects.toMatchObject({ code: "42501" });
      await queryAs(t.db, f.admin.userId, undo, [key.id]);
      const { rows } = await t.db.query<{ disabled_at: Date | null }>("select disabled_at from public.api_keys where id = $1", [key.id]);
      expect(rows[0]!.disabled_at).toBeNull();
    });
  });

  describe("IPv4-mapped IPv6 addresses", () => {
    it("an allowlist entry ::ffff:127.0.0.1 admits a caller from 127.0.0.1, and a mapped range admits plain IPv4", async () => {
      const team = await makeTeam(t.db, "pro");
      const k = (await makeKey(team, { ip_allowlist: ["::ffff:127.0.0.1", "::ffff:10.0.0.0/104"] })).secret;
      const call = (ip: string) => ping(apiRequest("/api/public/ping", { key: k, ip }));
      expect((await call("127.0.0.1")).status).toBe(200);
      expect((await call("::ffff:127.0.0.1")).status).toBe(200);
      expect((await call("10.200.3.4")).status).toBe(200);
      expect((await call("11.0.0.1")).status).toBe(403);
      expect((await call("::1")).status).toBe(403);
    });

    it("verify_api_call unmaps the caller it is given, and logs the plain IPv4 address", async () => {
      const team = await makeTeam(t.db, "pro");
      const { secret, key } = await makeKey(team, { ip_allowlist: ["10.0.0.0/8"] });
      const { rows } = await t.db.query<{ j: string }>(VERIFY_SQL, [hashApiKey(secret), "/api/public/ping", "GET", "ping", "::ffff:10.1.1.1", "vitest", false, planLimitsForSql(), `req-${n++}`, null]);
      expect(JSON.parse(rows[0]!.j).outcome).toBe("ok");
      const used = await t.db.query<{ ip: string }>("select host(last_used_ip) as ip from public.api_keys where id = $1", [key.id]);
      expect(used.rows[0]!.ip).toBe("10.1.1.1");
    });
  });

  describe("absolute URLs come from the configured site", () => {
    afterEach(() => {
      delete process.env.APP_URL;
      resetEnvCache();
    });

    it("/auth/callback redirects to APP_URL, not to the localhost origin Next sees", async () => {
      process.env.APP_URL = "https://portal.example.com";
      resetEnvCache();
      const res = await authCallback(new Request("http://localhost:3000/auth/callback?next=/keys"));
      expect(res.headers.get("location")).toBe("https://portal.example.com/sign-in");
    });
  });
});
