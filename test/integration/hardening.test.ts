// Regression tests for problems found in review: each failed before its fix.
import { describe, expect, it } from "vitest";
import { GET as ping } from "@/app/api/public/ping/route";
import { POST as validate } from "@/app/api/public/validate/route";
import { GET as getLatest, POST as postAudit } from "@/app/api/public/audit/route";
import { AuthError, createUser, verifyCredentials } from "@/lib/auth/builtin";
import { fromDatabaseError } from "@/lib/errors";
import { createKey, listKeys, updateKey } from "@/lib/keys/lifecycle";
import { flushCallLog } from "@/lib/public-api/call-log";
import { AUDIT_INPUT_EXAMPLE } from "@/lib/public-api/examples";
import { createInvitation, acceptInvitation } from "@/lib/teams/invitations";
import { changeRole, removeMember } from "@/lib/teams/members";
import { setPlanDirectly } from "@/lib/teams/teams";
import { historyQuerySchema } from "@/lib/usage/usage.schema";
import { apiRequest, makeKey, makeTeam, readJson } from "../api-fixtures";
import { testDatabases, useAppDatabase } from "../databases";
import { addMember, createUser as createFixtureUser, queryAs } from "../fixtures";

describe.each(testDatabases())("hardening on $name", ({ name, open }) => {
  const suite = useAppDatabase(open, { beforeClose: flushCallLog });

  it("a NUL in an RFC is a 400, and cannot wipe the details of other calls in the same batch", async () => {
    const team = await makeTeam(suite.db, "pro");
    const { secret } = await makeKey(team);
    const good = await validate(apiRequest("/api/public/validate", { key: secret, body: { rfc: "GODE561231GR8" } }));
    expect(good.status).toBe(200);
    const bad = await validate(apiRequest("/api/public/validate", { key: secret, body: { rfc: "GODE561231GR\u0000" } }));
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error?.code).toBe("invalid_request");
    await flushCallLog();
    const { rows } = await suite.db.query<{ status: number; summary: unknown }>(
      "select status, summary from public.api_calls where team_id = $1 and endpoint = '/api/public/validate' order by id",
      [team.teamId],
    );
    expect(rows[0]).toMatchObject({ status: 200, summary: { rfc: "GODE561231GR8", valid: true } });
    expect(rows[1]!.status).toBe(400);
  });

  it("NULs and unpaired surrogates in audit ids are a 400, not a 500", async () => {
    const team = await makeTeam(suite.db, "pro");
    const { secret } = await makeKey(team);
    for (const id of ["a\u0000b", "x\ud800"]) {
      const res = await postAudit(apiRequest("/api/public/audit", { key: secret, body: { ...AUDIT_INPUT_EXAMPLE, business: { ...AUDIT_INPUT_EXAMPLE.business, id } } }));
      expect(res.status).toBe(400);
    }
    expect((await getLatest(apiRequest("/api/public/audit?business_id=a%00b", { key: secret }))).status).toBe(400);
    const ok = await postAudit(apiRequest("/api/public/audit", { key: secret, body: { ...AUDIT_INPUT_EXAMPLE, business: { ...AUDIT_INPUT_EXAMPLE.business, id: "café-😀" } } }));
    expect(ok.status).toBe(202);
  });

  it("history cursors and dates out of range are refused by the schema; range errors map to 400", () => {
    expect(historyQuerySchema.safeParse({ cursor: "99999999999999999999.1" }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ cursor: "9223372036854775807.1" }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ from: "0000-01-01" }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ cursor: "1795315587000000.42", from: "2026-11-01" }).success).toBe(true);
    for (const code of ["22003", "22008", "22021"]) expect(fromDatabaseError({ code, message: "x" })?.status).toBe(400);
  });

  it("a key disabled because its creator left cannot be revived by clearing disabled_at", async () => {
    const team = await makeTeam(suite.db, "pro");
    const memberId = await createFixtureUser(suite.db, `leaver-${Date.now()}@example.com`);
    await addMember(suite.db, team.teamId, memberId, "member");
    const adminId = await createFixtureUser(suite.db, `admin-${Date.now()}@example.com`);
    await addMember(suite.db, team.teamId, adminId, "admin");
    const k = await createKey({ userId: memberId, teamId: team.teamId, ip: "127.0.0.1" }, { name: "k", scopes: ["ping"], ip_allowlist: [] });
    await removeMember(team.ownerId, team.teamId, memberId);
    await expect(queryAs(suite.db, adminId, "update public.api_keys set disabled_at = null where id = $1", [k.key.id])).rejects.toMatchObject({ code: "42501" });
  });

  it("users cannot call the maintenance or verification functions", async () => {
    const team = await makeTeam(suite.db);
    for (const sql of [
      "select public.purge_call_history('infinity'::timestamptz)",
      "select public.roll_up_usage(now())",
      "select public.rebuild_usage_rollup(now())",
      "select * from public.verify_api_call('x', '/', 'GET', 'ping', '127.0.0.1', '', false, '{}', 'r')",
    ]) {
      await expect(queryAs(suite.db, team.ownerId, sql)).rejects.toMatchObject({ code: "42501" });
    }
  });

  it("a downgrade caps every key's rate limit at the new plan's ceiling at once", async () => {
    const team = await makeTeam(suite.db, "pro");
    const k = await makeKey(team, { rate_limit_per_minute: 60 });
    await setPlanDirectly(team.ownerId, team.teamId, "free");
    const res = await ping(apiRequest("/api/public/ping", { key: k.secret }));
    expect(res.headers.get("x-ratelimit-limit")).toBe("10");
    // The form resends the stored value with a rename: that is not a change, so it is accepted.
    expect((await updateKey(team.actor, k.key.id, { name: "renamed", rate_limit_per_minute: 10 })).name).toBe("renamed");
  });

  // Issue 13 item 1: the downgrade used to rewrite every key to the Free ceiling for good.
  it("a plan change never rewrites keys: Pro → Free → Pro keeps 60/min chosen, enforces 10 then 60, and logs both changes", async () => {
    const team = await makeTeam(suite.db, "pro");
    const k = await makeKey(team, { rate_limit_per_minute: 60 });
    await setPlanDirectly(team.ownerId, team.teamId, "free", "203.0.113.9");
    const stored = await suite.db.query<{ r: number }>("select rate_limit_per_minute as r from public.api_keys where id = $1", [k.key.id]);
    expect(stored.rows[0]!.r).toBe(60);
    const onFree = (await listKeys(team.actor, { includeRevoked: false })).keys.find((x) => x.id === k.key.id)!;
    expect([onFree.rate_limit_per_minute, onFree.rate_limit_enforced, onFree.plan_name]).toEqual([60, 10, "Free"]);
    expect((await ping(apiRequest("/api/public/ping", { key: k.secret }))).headers.get("x-ratelimit-limit")).toBe("10");
    await setPlanDirectly(team.ownerId, team.teamId, "pro", "203.0.113.9");
    expect((await ping(apiRequest("/api/public/ping", { key: k.secret }))).headers.get("x-ratelimit-limit")).toBe("60");
    const log = await suite.db.query<{ action: string; details: unknown; actor_id: string; ip: string }>(
      "select action, details, actor_id, host(ip) as ip from public.audit_log where team_id = $1 and action = 'plan.changed' order by id",
      [team.teamId],
    );
    expect(log.rows).toEqual([
      { action: "plan.changed", details: { from: "pro", to: "free" }, actor_id: team.ownerId, ip: "203.0.113.9" },
      { action: "plan.changed", details: { from: "free", to: "pro" }, actor_id: team.ownerId, ip: "203.0.113.9" },
    ]);
  });

  it("HEAD on a metered GET does not spend quota", async () => {
    const team = await makeTeam(suite.db, "pro");
    const { secret } = await makeKey(team);
    await getLatest(apiRequest("/api/public/audit?business_id=none", { key: secret, method: "HEAD" }));
    const { rows } = await suite.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where team_id = $1 and metered", [team.teamId]);
    expect(rows[0]!.n).toBe(0);
    await getLatest(apiRequest("/api/public/audit?business_id=none", { key: secret }));
    const after = await suite.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where team_id = $1 and metered", [team.teamId]);
    expect(after.rows[0]!.n).toBe(1);
  });

  it("an empty X-API-Key does not hide a bearer token", async () => {
    const team = await makeTeam(suite.db, "pro");
    const { secret } = await makeKey(team);
    const res = await ping(apiRequest("/api/public/ping", { headers: { "x-api-key": "", authorization: `Bearer ${secret}` } }));
    expect(res.status).toBe(200);
  });

  it("an invitation lapses when its sender is no longer an owner or admin", async () => {
    const team = await makeTeam(suite.db, "pro");
    const adminId = await createFixtureUser(suite.db, `inviter-${Date.now()}@example.com`);
    await addMember(suite.db, team.teamId, adminId, "admin");
    const email = `invitee-${Date.now()}@example.com`;
    const inv = await createInvitation(adminId, team.teamId, email, "member");
    await changeRole(team.ownerId, team.teamId, adminId, "member");
    const invitee = await createFixtureUser(suite.db, email);
    await expect(acceptInvitation(invitee, inv.token)).rejects.toMatchObject({ message: expect.stringMatching(/no longer valid/) });
  });

  // Issue 9 item 3: the limit is per (email, IP) now, so the parallel guesses come from one IP.
  it.skipIf(name === "pglite")("parallel wrong passwords cannot get past the per-email-and-IP limit", async () => {
    await createUser("parallel@example.com", "the right password!");
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => verifyCredentials("parallel@example.com", `wrong guess ${i}`, "198.51.100.77")),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as AuthError).code : "ok"));
    expect(codes.filter((c) => c === "invalid_credentials")).toHaveLength(5);
    expect(codes.filter((c) => c === "throttled")).toHaveLength(7);
  });

  it("two sign-ups with one email at the same moment: one account, and a clear message for the other", async () => {
    const results = await Promise.allSettled([createUser("race@example.com", "a long password 1"), createUser("race@example.com", "a long password 2")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "email_taken" });
  });
});
