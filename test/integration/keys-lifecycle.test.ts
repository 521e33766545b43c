import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashApiKey } from "@/lib/keys/format";
import { createKey, listKeys, revokeKey, rotateKey, setKeyEnabled, updateKey, type Actor } from "@/lib/keys/lifecycle";
import { listActivityLog } from "@/lib/activity/activity-log";
import { removeMember } from "@/lib/teams/members";
import { testDatabases, type TestDatabase } from "../databases";
import { addMember, createTeamAs, createUser, queryAs } from "../fixtures";

const base = { scopes: ["ping", "validate", "audit:read", "audit:write"] as ("ping" | "validate" | "audit:read" | "audit:write")[], ip_allowlist: [] as string[] };

describe.each(testDatabases())("key lifecycle on $name", ({ open }) => {
  let t: TestDatabase;
  let n = 0;
  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
  });
  afterAll(async () => {
    setDbForTesting(undefined);
    await t?.dispose();
  });

  async function team(plan: "free" | "pro" = "free") {
    const tag = `${Date.now()}-${n++}`;
    const owner = await createUser(t.db, `owner-${tag}@example.com`);
    const admin = await createUser(t.db, `admin-${tag}@example.com`);
    const member = await createUser(t.db, `member-${tag}@example.com`);
    const teamId = await createTeamAs(t.db, owner, `Team ${tag}`);
    await addMember(t.db, teamId, admin, "admin");
    await addMember(t.db, teamId, member, "member");
    await t.db.query("update public.teams set plan = $2 where id = $1", [teamId, plan]);
    const actor = (userId: string): Actor => ({ userId, teamId, ip: "198.51.100.4" });
    return { teamId, owner: actor(owner), admin: actor(admin), member: actor(member) };
  }

  async function expectAppError(p: Promise<unknown>, code: string, message?: RegExp) {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    if (message) expect((err as AppError).message).toMatch(message);
  }

  it("stores only the hash, prefix and last 4 characters", async () => {
    const f = await team();
    const { secret, key } = await createKey(f.owner, { name: "Prod", ...base });
    expect(secret).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
    expect(key.prefix).toBe(secret.slice(0, 12));
    expect(key.last4).toBe(secret.slice(-4));
    expect(JSON.stringify(key)).not.toContain(secret.slice(12, 40));
    const { rows } = await t.db.query<{ key_hash: string }>("select key_hash from public.api_key_hashes where key_id = $1", [key.id]);
    expect(rows[0]!.key_hash).toBe(hashApiKey(secret));
    const dump = await t.db.query<{ row: string }>("select row_to_json(k)::text as row from public.api_keys k where id = $1", [key.id]);
    expect(dump.rows[0]!.row).not.toContain(secret.slice(12, 40));
  });

  it("the plan's key limit counts every member's keys; revoked keys and old keys in grace do not count", async () => {
    const f = await team("free");
    const a = await createKey(f.member, { name: "member key", ...base });
    await createKey(f.owner, { name: "owner key", ...base });
    await expectAppError(createKey(f.admin, { name: "third", ...base }), "limit_reached", /2 of 2 keys allowed on the Free plan/);
    // A rotation replaces one counted key with another: allowed at the limit.
    await rotateKey(f.member, a.key.id, "24h");
    await expectAppError(createKey(f.owner, { name: "third", ...base }), "limit_reached");
    const list = await listKeys(f.owner, { includeRevoked: false });
    expect(list.limit).toEqual({ used: 2, max: 2, plan: "Free" });
    const replacement = list.keys.find((k) => k.rotated_from_id === a.key.id)!;
    await revokeKey(f.member, replacement.id);
    expect((await createKey(f.owner, { name: "third", ...base })).key.name).toBe("third");
  });

  it("concurrent creates cannot both take the last slot", async () => {
    const f = await team("free");
    await createKey(f.owner, { name: "one", ...base });
    const results = await Promise.allSettled([createKey(f.owner, { name: "a", ...base }), createKey(f.admin, { name: "b", ...base })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("the rate limit may not exceed the plan's ceiling", async () => {
    const f = await team("free");
    await expectAppError(createKey(f.owner, { name: "fast", ...base, rate_limit_per_minute: 11 }), "invalid_request", /at most 10/);
    const k = await createKey(f.owner, { name: "default", ...base });
    expect(k.key.rate_limit_per_minute).toBe(10);
  });

  it("members see only their own keys; owners and admins see all, and may disable or revoke any", async () => {
    const f = await team("pro");
    const mine = await createKey(f.member, { name: "member's", ...base });
    await createKey(f.owner, { name: "owner's", ...base });
    expect((await listKeys(f.member, { includeRevoked: true })).keys.map((k) => k.name)).toEqual(["member's"]);
    expect((await listKeys(f.admin, { includeRevoked: true })).keys.map((k) => k.name).sort()).toEqual(["member's", "owner's"]);
    const ownerKey = (await listKeys(f.owner, { includeRevoked: false })).keys.find((k) => k.name === "owner's")!;
    await expectAppError(setKeyEnabled(f.member, ownerKey.id, false), "not_found");
    await expectAppError(revokeKey(f.member, ownerKey.id), "not_found");
    // Admins stop anyone's key, but only its creator renames or rotates it.
    expect((await setKeyEnabled(f.admin, mine.key.id, false)).status).toBe("disabled");
    expect((await setKeyEnabled(f.admin, mine.key.id, true)).status).toBe("active");
    await expectAppError(updateKey(f.admin, mine.key.id, { name: "hijack" }), "forbidden");
    await expectAppError(rotateKey(f.admin, mine.key.id, "1h"), "forbidden");
    expect((await revokeKey(f.admin, mine.key.id)).status).toBe("revoked");
    await expectAppError(setKeyEnabled(f.member, mine.key.id, true), "conflict", /revoked/);
  });

  it("rotation copies the settings, links both keys, and caps the grace at the old key's expiry", async () => {
    const f = await team("pro");
    const expires = new Date(Date.now() + 2 * 3600_000).toISOString();
    const old = await createKey(f.owner, { name: "rot", description: "d", scopes: ["ping"], ip_allowlist: ["10.0.0.0/8"], rate_limit_per_minute: 42, use_cap: 9, expires_at: expires });
    const r = await rotateKey(f.owner, old.key.id, "7d");
    expect(r.key).toMatchObject({ name: "rot", description: "d", scopes: ["ping"], ip_allowlist: ["10.0.0.0/8"], rate_limit_per_minute: 42, use_cap: 9, rotated_from_id: old.key.id });
    expect(r.key.expires_at).toBe(new Date(expires).toISOString());
    expect(r.previous.replaced_by_id).toBe(r.key.id);
    expect(r.previous.status).toBe("rotating");
    expect(r.previous.grace_until).toBe(new Date(expires).toISOString());
    await expectAppError(rotateKey(f.owner, old.key.id, "1h"), "conflict", /already been rotated/);

    const plain = await createKey(f.owner, { name: "plain", ...base });
    const before = Date.now();
    const r2 = await rotateKey(f.owner, plain.key.id, "1h");
    const graceMs = new Date(r2.previous.grace_until!).getTime() - before;
    expect(graceMs).toBeGreaterThan(3600_000 - 5_000);
    expect(graceMs).toBeLessThan(3600_000 + 5_000);
    const none = await rotateKey(f.owner, r2.key.id, "none");
    expect(none.previous.status).toBe("expired");
  });

  it("a rotation cannot be undone and a revoked key cannot come back, even on the user's own connection", async () => {
    const f = await team("pro");
    const k = await createKey(f.owner, { name: "x", ...base });
    await rotateKey(f.owner, k.key.id, "1h");
    await expect(queryAs(t.db, f.owner.userId, "update public.api_keys set replaced_by_id = null, grace_until = null where id = $1", [k.key.id])).rejects.toMatchObject({ code: "42501" });
  });

  it("removing a member disables their keys at once, for good", async () => {
    const f = await team("pro");
    const k = await createKey(f.member, { name: "leaver", ...base });
    await removeMember(f.owner.userId, f.teamId, f.member.userId);
    const { rows } = await t.db.query<{ disabled_reason: string; disabled_at: Date | null }>("select disabled_reason, disabled_at from public.api_keys where id = $1", [k.key.id]);
    expect(rows[0]!.disabled_reason).toBe("member_removed");
    expect(rows[0]!.disabled_at).not.toBeNull();
    await expectAppError(setKeyEnabled(f.owner, k.key.id, true), "conflict", /left the team/);
    // Even re-added, the member cannot revive the old key directly.
    await addMember(t.db, f.teamId, f.member.userId, "member");
    await expect(queryAs(t.db, f.member.userId, "update public.api_keys set disabled_at = null, disabled_reason = null where id = $1", [k.key.id])).rejects.toMatchObject({ code: "42501" });
  });

  it("writes every lifecycle change to the audit log with actor and IP; members see only their own", async () => {
    const f = await team("pro");
    const k = await createKey(f.member, { name: "audited", ...base });
    await updateKey(f.member, k.key.id, { name: "audited 2" });
    await updateKey(f.member, k.key.id, { scopes: ["ping"] });
    await setKeyEnabled(f.member, k.key.id, false);
    await setKeyEnabled(f.admin, k.key.id, true);
    const rotated = await rotateKey(f.member, k.key.id, "24h");
    await revokeKey(f.owner, rotated.key.id);
    await createKey(f.owner, { name: "owner only", ...base });

    const all = await listActivityLog(f.owner, { limit: 50 });
    expect(all.entries.map((e) => e.action).reverse()).toEqual([
      "key.created", "key.renamed", "key.settings_changed", "key.disabled", "key.enabled", "key.rotated", "key.revoked", "key.created",
    ]);
    expect(all.entries[0]!.ip).toBe("198.51.100.4");
    expect(all.entries.find((e) => e.action === "key.renamed")!.details).toEqual({ from: "audited", to: "audited 2" });
    const memberView = await listActivityLog(f.member, { limit: 50 });
    // The member sees what they did and what was done to their keys, not the owner's own key.
    expect(new Set(memberView.entries.map((e) => e.key_id))).toEqual(new Set([k.key.id, rotated.key.id]));
    expect(memberView.entries).toHaveLength(7);
    expect(memberView.entries.some((e) => e.key_name === "owner only")).toBe(false);
    expect(memberView.entries.some((e) => e.action === "key.enabled")).toBe(true);
    // Cursor pagination walks the same entries.
    const page1 = await listActivityLog(f.owner, { limit: 3 });
    const page2 = await listActivityLog(f.owner, { limit: 3, cursor: page1.next_cursor! });
    expect([...page1.entries, ...page2.entries].map((e) => e.id)).toEqual(all.entries.slice(0, 6).map((e) => e.id));
  });

  it("an edit that changes nothing writes no audit entry; the limit message fits the reader's role", async () => {
    const f = await team("free");
    const k = await createKey(f.owner, { name: "same", ...base, rate_limit_per_minute: 5 });
    await updateKey(f.owner, k.key.id, { rate_limit_per_minute: 5, scopes: [...base.scopes].reverse(), name: "same" });
    const log = await listActivityLog(f.owner, { limit: 10 });
    expect(log.entries.map((e) => e.action)).toEqual(["key.created"]);
    await updateKey(f.owner, k.key.id, { rate_limit_per_minute: 6 });
    expect((await listActivityLog(f.owner, { limit: 10 })).entries[0]!.details).toEqual({ fields: ["rate_limit_per_minute"] });
    await createKey(f.member, { name: "second", ...base });
    await expectAppError(createKey(f.owner, { name: "x", ...base }), "limit_reached", /upgrade the plan on the Billing page/);
    await expectAppError(createKey(f.member, { name: "x", ...base }), "limit_reached", /ask the team's owner to upgrade/);
  });
});
