import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/types";
import { testDatabases, type TestDatabase } from "../databases";
import {
  addMember,
  asUserOn,
  createTeamAs,
  createUser,
  expectSqlState,
  insertAuditAs,
  insertKeyAs,
  keyPrefix,
  queryAs,
} from "../fixtures";

/**
 * Row-level security of teams, members, invitations, profiles, API keys and the audit log,
 * checked in plain SQL as each user, the way PostgREST (Supabase mode) and lib/db/as-user.ts
 * run queries.
 */

const INSUFFICIENT_PRIVILEGE = "42501";

function fakeHash(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

interface TeamFixture {
  teamId: string;
  owner: string;
  admin: string;
  member: string;
  member2: string;
}

describe.each(testDatabases())("row-level security for teams on $name", ({ open }) => {
  let t: TestDatabase;
  let db: Database;
  let counter = 0;

  /** A fresh team with an owner, an admin and two members, for tests that change memberships. */
  async function freshTeam(label: string): Promise<TeamFixture> {
    counter += 1;
    const tag = `${label}-${counter}`;
    const owner = await createUser(db, `${tag}-owner@example.com`);
    const admin = await createUser(db, `${tag}-admin@example.com`);
    const member = await createUser(db, `${tag}-member@example.com`);
    const member2 = await createUser(db, `${tag}-member2@example.com`);
    const teamId = await createTeamAs(db, owner, `Team ${tag}`);
    await addMember(db, teamId, admin, "admin");
    await addMember(db, teamId, member, "member");
    await addMember(db, teamId, member2, "member");
    return { teamId, owner, admin, member, member2 };
  }

  async function roleOf(teamId: string, userId: string): Promise<string | null> {
    const { rows } = await db.query<{ role: string }>("select role from public.team_members where team_id = $1 and user_id = $2", [
      teamId,
      userId,
    ]);
    return rows[0]?.role ?? null;
  }

  // Two teams that share nobody: A and B.
  let A: TeamFixture;
  let B: TeamFixture;
  const keysA: Record<"owner" | "admin" | "member" | "member2", string> = { owner: "", admin: "", member: "", member2: "" };
  let keyB = "";
  let keyB2 = "";
  const auditA: Record<"owner" | "admin" | "member" | "member2", number> = { owner: 0, admin: 0, member: 0, member2: 0 };

  beforeAll(async () => {
    t = await open();
    db = t.db;
    A = await freshTeam("a");
    B = await freshTeam("b");
    for (const who of ["owner", "admin", "member", "member2"] as const) {
      keysA[who] = await insertKeyAs(db, A[who], A.teamId, `A ${who}`);
      auditA[who] = await insertAuditAs(db, A[who], A.teamId, keysA[who]);
    }
    keyB = await insertKeyAs(db, B.owner, B.teamId, "B owner");
    keyB2 = await insertKeyAs(db, B.member, B.teamId, "B member");
    await insertAuditAs(db, B.owner, B.teamId, keyB);
    await insertAuditAs(db, B.member, B.teamId, keyB2);
    for (const [team, inviter] of [
      [A, A.owner],
      [B, B.owner],
    ] as const) {
      await queryAs(
        db,
        inviter,
        "insert into public.invitations (team_id, email, role, token_hash, invited_by) values ($1, $2, 'member', $3, auth.uid())",
        [team.teamId, `invitee-${team.teamId}@example.com`, fakeHash(team.teamId)],
      );
    }
  });

  afterAll(async () => t?.dispose());

  describe("setup", () => {
    it("create_team makes the caller owner and their current team", async () => {
      const [team] = await queryAs<{ owner_id: string; plan: string }>(db, A.owner, "select owner_id, plan from public.teams where id = $1", [A.teamId]);
      expect(team).toEqual({ owner_id: A.owner, plan: "free" });
      expect(await roleOf(A.teamId, A.owner)).toBe("owner");
      const [profile] = await queryAs<{ current_team_id: string }>(db, A.owner, "select current_team_id from public.profiles where id = auth.uid()");
      expect(profile?.current_team_id).toBe(A.teamId);
    });

    it("create_team refuses a caller without claims", async () => {
      await expectSqlState(
        db.transaction(async (tx) => {
          await tx.exec("set local role authenticated");
          await tx.query("select public.create_team('Nobody')");
        }),
        "28000",
      );
    });
  });

  describe("isolation between teams", () => {
    const viewers = ["owner", "admin", "member"] as const;

    it.each(viewers)("a team A %s sees only team A in teams", async (who) => {
      const rows = await queryAs<{ id: string }>(db, A[who], "select id from public.teams");
      expect(rows.map((r) => r.id)).toEqual([A.teamId]);
    });

    it.each(viewers)("a team A %s sees none of team B's members", async (who) => {
      expect(await queryAs(db, A[who], "select * from public.team_members where team_id = $1", [B.teamId])).toEqual([]);
      const all = await queryAs<{ team_id: string }>(db, A[who], "select team_id from public.team_members");
      expect(new Set(all.map((r) => r.team_id))).toEqual(new Set([A.teamId]));
      expect(all).toHaveLength(4);
    });

    it("a team A owner sees team A's invitations but none of team B's", async () => {
      const rows = await queryAs<{ team_id: string }>(db, A.owner, "select team_id from public.invitations");
      expect(rows.map((r) => r.team_id)).toEqual([A.teamId]);
      expect(await queryAs(db, A.owner, "select id from public.invitations where team_id = $1", [B.teamId])).toEqual([]);
    });

    it.each(viewers)("a team A %s cannot read profiles of team B's members", async (who) => {
      const bIds = [B.owner, B.admin, B.member, B.member2];
      expect(await queryAs(db, A[who], "select * from public.profiles where id = any($1::uuid[])", [bIds])).toEqual([]);
      const visible = await queryAs<{ id: string }>(db, A[who], "select id from public.profiles");
      expect(new Set(visible.map((r) => r.id))).toEqual(new Set([A.owner, A.admin, A.member, A.member2]));
    });

    it.each(viewers)("a team A %s cannot read team B's api_keys or audit_log", async (who) => {
      expect(await queryAs(db, A[who], "select * from public.api_keys where team_id = $1", [B.teamId])).toEqual([]);
      expect(await queryAs(db, A[who], "select * from public.api_keys where id = any($1::uuid[])", [[keyB, keyB2]])).toEqual([]);
      expect(await queryAs(db, A[who], "select * from public.audit_log where team_id = $1", [B.teamId])).toEqual([]);
    });

    it.each(viewers)("a team A %s cannot rename team B or change its plan", async (who) => {
      expect(await queryAs(db, A[who], "update public.teams set name = 'pwned' where id = $1 returning id", [B.teamId])).toEqual([]);
      await expectSqlState(queryAs(db, A[who], "update public.teams set plan = 'business' where id = $1 returning id", [B.teamId]), INSUFFICIENT_PRIVILEGE);
      expect(await queryAs(db, A[who], "update public.teams set overage_hard_cap = 0 where id = $1 returning id", [B.teamId])).toEqual([]);
      const { rows } = await db.query<{ name: string; plan: string; overage_hard_cap: number | null }>(
        "select name, plan, overage_hard_cap from public.teams where id = $1",
        [B.teamId],
      );
      expect(rows[0]).toEqual({ name: "Team b-2", plan: "free", overage_hard_cap: null });
    });

    it.each(viewers)("a team A %s cannot insert an api_key into team B", async (who) => {
      await expectSqlState(
        queryAs(
          db,
          A[who],
          `insert into public.api_keys (team_id, created_by, name, prefix, last4, rate_limit_per_minute)
           values ($1, auth.uid(), 'intruder', $2, 'zzzz', 10)`,
          [B.teamId, keyPrefix()],
        ),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it("nobody can insert an api_key in someone else's name, even in their own team", async () => {
      await expectSqlState(
        queryAs(
          db,
          A.owner,
          `insert into public.api_keys (team_id, created_by, name, prefix, last4, rate_limit_per_minute)
           values ($1, $2, 'forged', $3, 'zzzz', 10)`,
          [A.teamId, A.member, keyPrefix()],
        ),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it.each(viewers)("a team A %s cannot update or revoke team B's keys", async (who) => {
      expect(
        await queryAs(db, A[who], "update public.api_keys set revoked_at = now(), name = 'x' where team_id = $1 returning id", [B.teamId]),
      ).toEqual([]);
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.api_keys where team_id = $1 and revoked_at is null", [
        B.teamId,
      ]);
      expect(rows[0]!.n).toBe(2);
    });

    it.each(viewers)("a team A %s cannot delete team B's members", async (who) => {
      expect(await queryAs(db, A[who], "delete from public.team_members where team_id = $1 returning user_id", [B.teamId])).toEqual([]);
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.team_members where team_id = $1", [B.teamId]);
      expect(rows[0]!.n).toBe(4);
    });

    it.each(viewers)("a team A %s cannot change roles in team B", async (who) => {
      expect(
        await queryAs(db, A[who], "update public.team_members set role = 'admin' where team_id = $1 and role = 'member' returning user_id", [
          B.teamId,
        ]),
      ).toEqual([]);
      expect(await roleOf(B.teamId, B.member)).toBe("member");
    });

    it.each(viewers)("a team A %s cannot insert an invitation for team B", async (who) => {
      await expectSqlState(
        queryAs(
          db,
          A[who],
          "insert into public.invitations (team_id, email, role, token_hash, invited_by) values ($1, 'x@example.com', 'admin', $2, auth.uid())",
          [B.teamId, fakeHash(`${who}-into-b`)],
        ),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it("a team A owner cannot revoke team B's invitations", async () => {
      expect(await queryAs(db, A.owner, "update public.invitations set revoked_at = now() where team_id = $1 returning id", [B.teamId])).toEqual([]);
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.invitations where team_id = $1 and revoked_at is null", [
        B.teamId,
      ]);
      expect(rows[0]!.n).toBe(1);
    });

    it("a team A member cannot insert audit entries into team B or as someone else", async () => {
      await expectSqlState(
        queryAs(db, A.member, "insert into public.audit_log (team_id, actor_id, action) values ($1, auth.uid(), 'key.created')", [B.teamId]),
        INSUFFICIENT_PRIVILEGE,
      );
      await expectSqlState(
        queryAs(db, A.member, "insert into public.audit_log (team_id, actor_id, action) values ($1, $2, 'key.created')", [A.teamId, A.owner]),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it("a user cannot point their current team at a team they are not in", async () => {
      await expectSqlState(
        queryAs(db, A.member, "update public.profiles set current_team_id = $1 where id = auth.uid()", [B.teamId]),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it("a user cannot update someone else's profile", async () => {
      expect(await queryAs(db, A.owner, "update public.profiles set display_name = 'x' where id = $1 returning id", [A.member])).toEqual([]);
    });

    it("team_key_count is null for a non-member", async () => {
      const [row] = await queryAs<{ n: number | null }>(db, A.owner, "select public.team_key_count($1) as n", [B.teamId]);
      expect(row?.n).toBeNull();
    });
  });

  describe("roles within a team", () => {
    it("a member cannot rename the team or change its plan", async () => {
      expect(await queryAs(db, A.member, "update public.teams set name = 'mine' where id = $1 returning id", [A.teamId])).toEqual([]);
      await expectSqlState(queryAs(db, A.member, "update public.teams set plan = 'business' where id = $1 returning id", [A.teamId]), INSUFFICIENT_PRIVILEGE);
    });

    it("an admin cannot change the plan or the name (owner only)", async () => {
      await expectSqlState(queryAs(db, A.admin, "update public.teams set plan = 'business' where id = $1 returning id", [A.teamId]), INSUFFICIENT_PRIVILEGE);
      expect(await queryAs(db, A.admin, "update public.teams set name = 'admin says' where id = $1 returning id", [A.teamId])).toEqual([]);
      const { rows } = await db.query<{ plan: string; name: string }>("select plan, name from public.teams where id = $1", [A.teamId]);
      expect(rows[0]).toEqual({ plan: "free", name: "Team a-1" });
    });

    it("not even the owner can write the plan on their own connection: it changes through billing", async () => {
      const f = await freshTeam("ownerplan");
      await expectSqlState(queryAs(db, f.owner, "update public.teams set plan = 'business' where id = $1", [f.teamId]), INSUFFICIENT_PRIVILEGE);
    });

    it("the owner can rename the team", async () => {
      const f = await freshTeam("rename");
      expect(await queryAs(db, f.owner, "update public.teams set name = 'Renamed' where id = $1 returning id", [f.teamId])).toHaveLength(1);
    });

    it("nobody may change a team's owner_id column", async () => {
      const f = await freshTeam("ownerid");
      await expectSqlState(
        queryAs(db, f.owner, "update public.teams set owner_id = $2 where id = $1", [f.teamId, f.admin]),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it("a member cannot change roles, including their own", async () => {
      const f = await freshTeam("member-roles");
      expect(
        await queryAs(db, f.member, "update public.team_members set role = 'admin' where team_id = $1 and user_id = $2 returning user_id", [
          f.teamId,
          f.member2,
        ]),
      ).toEqual([]);
      expect(
        await queryAs(db, f.member, "update public.team_members set role = 'admin' where team_id = $1 and user_id = auth.uid() returning user_id", [
          f.teamId,
        ]),
      ).toEqual([]);
      expect(
        await queryAs(db, f.member, "update public.team_members set role = 'member' where team_id = $1 and user_id = $2 returning user_id", [
          f.teamId,
          f.admin,
        ]),
      ).toEqual([]);
      expect(await roleOf(f.teamId, f.member)).toBe("member");
      expect(await roleOf(f.teamId, f.member2)).toBe("member");
      expect(await roleOf(f.teamId, f.admin)).toBe("admin");
    });

    it("a member cannot remove others", async () => {
      const f = await freshTeam("member-remove");
      for (const target of [f.member2, f.admin, f.owner]) {
        expect(
          await queryAs(db, f.member, "delete from public.team_members where team_id = $1 and user_id = $2 returning user_id", [f.teamId, target]),
        ).toEqual([]);
      }
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.team_members where team_id = $1", [f.teamId]);
      expect(rows[0]!.n).toBe(4);
    });

    it("an admin can make a member an admin", async () => {
      const f = await freshTeam("admin-promotes");
      expect(
        await queryAs(db, f.admin, "update public.team_members set role = 'admin' where team_id = $1 and user_id = $2 returning user_id", [
          f.teamId,
          f.member,
        ]),
      ).toHaveLength(1);
      expect(await roleOf(f.teamId, f.member)).toBe("admin");
    });

    it("an admin can remove a member", async () => {
      const f = await freshTeam("admin-removes");
      expect(
        await queryAs(db, f.admin, "delete from public.team_members where team_id = $1 and user_id = $2 returning user_id", [f.teamId, f.member]),
      ).toHaveLength(1);
      expect(await roleOf(f.teamId, f.member)).toBeNull();
    });

    it("an admin cannot remove or demote the owner", async () => {
      const f = await freshTeam("admin-vs-owner");
      expect(
        await queryAs(db, f.admin, "delete from public.team_members where team_id = $1 and user_id = $2 returning user_id", [f.teamId, f.owner]),
      ).toEqual([]);
      expect(
        await queryAs(db, f.admin, "update public.team_members set role = 'member' where team_id = $1 and user_id = $2 returning user_id", [
          f.teamId,
          f.owner,
        ]),
      ).toEqual([]);
      expect(await roleOf(f.teamId, f.owner)).toBe("owner");
    });

    it("an admin cannot change their own role", async () => {
      const f = await freshTeam("admin-self");
      expect(
        await queryAs(db, f.admin, "update public.team_members set role = 'member' where team_id = $1 and user_id = auth.uid() returning user_id", [
          f.teamId,
        ]),
      ).toEqual([]);
      expect(await roleOf(f.teamId, f.admin)).toBe("admin");
    });

    it("the owner can demote an admin and remove anyone else", async () => {
      const f = await freshTeam("owner-manages");
      expect(
        await queryAs(db, f.owner, "update public.team_members set role = 'member' where team_id = $1 and user_id = $2 returning user_id", [
          f.teamId,
          f.admin,
        ]),
      ).toHaveLength(1);
      expect(
        await queryAs(db, f.owner, "delete from public.team_members where team_id = $1 and user_id = $2 returning user_id", [f.teamId, f.admin]),
      ).toHaveLength(1);
    });

    it("nobody can promote anyone to owner", async () => {
      const f = await freshTeam("no-owner");
      for (const [actor, target] of [
        [f.owner, f.admin],
        [f.owner, f.member],
        [f.admin, f.member],
      ] as const) {
        await expectSqlState(
          queryAs(db, actor, "update public.team_members set role = 'owner' where team_id = $1 and user_id = $2", [f.teamId, target]),
          INSUFFICIENT_PRIVILEGE,
        );
      }
      // A member's attempt matches no row at all, so it changes nothing either.
      expect(
        await queryAs(db, f.member, "update public.team_members set role = 'owner' where team_id = $1 and user_id = auth.uid() returning user_id", [
          f.teamId,
        ]),
      ).toEqual([]);
      const { rows } = await db.query<{ user_id: string }>("select user_id from public.team_members where team_id = $1 and role = 'owner'", [
        f.teamId,
      ]);
      expect(rows.map((r) => r.user_id)).toEqual([f.owner]);
    });

    it("nobody can add members directly (no insert grant)", async () => {
      const f = await freshTeam("no-insert");
      const outsider = await createUser(db, `outsider-${f.teamId}@example.com`);
      await expectSqlState(
        queryAs(db, f.owner, "insert into public.team_members (team_id, user_id, role) values ($1, $2, 'member')", [f.teamId, outsider]),
        INSUFFICIENT_PRIVILEGE,
      );
      await expectSqlState(
        queryAs(db, outsider, "insert into public.team_members (team_id, user_id, role) values ($1, auth.uid(), 'admin')", [f.teamId]),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it("the owner cannot leave; a member can", async () => {
      const f = await freshTeam("leave");
      expect(
        await queryAs(db, f.owner, "delete from public.team_members where team_id = $1 and user_id = auth.uid() returning user_id", [f.teamId]),
      ).toEqual([]);
      expect(await roleOf(f.teamId, f.owner)).toBe("owner");
      expect(
        await queryAs(db, f.member, "delete from public.team_members where team_id = $1 and user_id = auth.uid() returning user_id", [f.teamId]),
      ).toHaveLength(1);
      expect(await roleOf(f.teamId, f.member)).toBeNull();
      // Gone means gone: the team and its people disappear from their view.
      expect(await queryAs(db, f.member, "select id from public.teams where id = $1", [f.teamId])).toEqual([]);
      expect(await queryAs(db, f.member, "select id from public.profiles where id = $1", [f.owner])).toEqual([]);
    });

    it("a member can neither read nor create invitations; an admin reads them", async () => {
      expect(await queryAs(db, A.member, "select id, email from public.invitations")).toEqual([]);
      await expectSqlState(
        queryAs(
          db,
          A.member,
          "insert into public.invitations (team_id, email, role, token_hash, invited_by) values ($1, 'y@example.com', 'member', $2, auth.uid())",
          [A.teamId, fakeHash("member-invites")],
        ),
        INSUFFICIENT_PRIVILEGE,
      );
      const adminSees = await queryAs<{ team_id: string }>(db, A.admin, "select team_id from public.invitations");
      expect(adminSees.map((r) => r.team_id)).toEqual([A.teamId]);
    });

    it("the invitation token hash is not readable by anyone, owners included", async () => {
      await expectSqlState(queryAs(db, A.owner, "select token_hash from public.invitations"), INSUFFICIENT_PRIVILEGE);
      await expectSqlState(queryAs(db, A.owner, "select * from public.invitations"), INSUFFICIENT_PRIVILEGE);
    });
  });

  describe("api keys and their hashes", () => {
    it("members see only their own keys", async () => {
      for (const who of ["member", "member2"] as const) {
        const rows = await queryAs<{ id: string }>(db, A[who], "select id from public.api_keys");
        expect(rows.map((r) => r.id)).toEqual([keysA[who]]);
      }
    });

    it("owners and admins see every key of the team", async () => {
      const all = new Set(Object.values(keysA));
      for (const who of ["owner", "admin"] as const) {
        const rows = await queryAs<{ id: string }>(db, A[who], "select id from public.api_keys");
        expect(new Set(rows.map((r) => r.id))).toEqual(all);
      }
    });

    it("a member cannot update someone else's key; an admin can", async () => {
      const f = await freshTeam("key-update");
      const ownerKey = await insertKeyAs(db, f.owner, f.teamId);
      const memberKey = await insertKeyAs(db, f.member, f.teamId);
      expect(await queryAs(db, f.member2, "update public.api_keys set name = 'x' where id = $1 returning id", [memberKey])).toEqual([]);
      expect(await queryAs(db, f.member, "update public.api_keys set name = 'x' where id = $1 returning id", [ownerKey])).toEqual([]);
      expect(await queryAs(db, f.member, "update public.api_keys set name = 'mine' where id = $1 returning id", [memberKey])).toHaveLength(1);
      expect(
        await queryAs(db, f.admin, "update public.api_keys set disabled_at = now(), disabled_reason = 'user' where id = $1 returning id", [memberKey]),
      ).toHaveLength(1);
    });

    // BUG (supabase/migrations/20261122000200_api_keys.sql): authenticated has UPDATE on
    // api_keys.revoked_at and the api_keys_update policy lets a key's creator update it whatever
    // its state, so `update api_keys set revoked_at = null` brings a revoked key (whose hash is
    // still in api_key_hashes) back to life, even one an admin revoked. lib/keys/lifecycle.ts
    // refuses this ("revoked keys cannot be changed"), but in Supabase mode PostgREST reaches the
    // table directly with the user's JWT, so RLS is the only guard. Fix: a BEFORE UPDATE trigger on
    // api_keys raising 42501 when old.revoked_at is not null (and, likewise, refusing to clear
    // replaced_by_id/grace_until once set), or make revocation a SECURITY DEFINER function and drop
    // the column grant.
    it("a revoked key stays revoked: its creator cannot clear revoked_at", async () => {
      const f = await freshTeam("unrevoke");
      const k = await insertKeyAs(db, f.member, f.teamId);
      await queryAs(db, f.admin, "update public.api_keys set revoked_at = now() where id = $1", [k]);
      await queryAs(db, f.member, "update public.api_keys set revoked_at = null where id = $1", [k]).catch(() => undefined);
      const { rows } = await db.query<{ revoked_at: Date | null }>("select revoked_at from public.api_keys where id = $1", [k]);
      expect(rows[0]!.revoked_at).not.toBeNull();
    });

    it("usage counters are not writable by users", async () => {
      await expectSqlState(queryAs(db, A.owner, "update public.api_keys set uses_total = 0 where id = $1", [keysA.owner]), INSUFFICIENT_PRIVILEGE);
      await expectSqlState(
        queryAs(db, A.owner, "update public.api_keys set rate_window_count = 0 where id = $1", [keysA.owner]),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it("api_key_hashes can be written for one's own key but never read, not even by the owner", async () => {
      const f = await freshTeam("hashes");
      const memberKey = await insertKeyAs(db, f.member, f.teamId);
      const hash = fakeHash(`secret-${memberKey}`);
      await queryAs(db, f.member, "insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hash, memberKey]);
      // The row exists (superuser view) ...
      const { rows } = await db.query<{ key_hash: string }>("select key_hash from public.api_key_hashes where key_id = $1", [memberKey]);
      expect(rows.map((r) => r.key_hash)).toEqual([hash]);
      // ... but no user can select from the table: permission denied, so nothing can leak.
      for (const who of [f.member, f.admin, f.owner, A.owner]) {
        await expectSqlState(queryAs(db, who, "select * from public.api_key_hashes"), INSUFFICIENT_PRIVILEGE);
        await expectSqlState(queryAs(db, who, "select key_id from public.api_key_hashes where key_hash = $1", [hash]), INSUFFICIENT_PRIVILEGE);
      }
      // Nor can an insert echo the table back.
      await expectSqlState(
        queryAs(db, f.member, "insert into public.api_key_hashes (key_hash, key_id) values ($1, $2) returning key_hash", [
          fakeHash("other"),
          await insertKeyAs(db, f.member, f.teamId),
        ]),
        INSUFFICIENT_PRIVILEGE,
      );
      // Nothing visible to users mentions the hash.
      const visible = await queryAs(db, f.owner, "select * from public.api_keys where id = $1", [memberKey]);
      expect(JSON.stringify(visible)).not.toContain(hash);
    });

    it("nobody can write a hash for someone else's key", async () => {
      const f = await freshTeam("hash-forge");
      const memberKey = await insertKeyAs(db, f.member, f.teamId);
      for (const who of [f.owner, f.admin, f.member2, B.owner]) {
        await expectSqlState(
          queryAs(db, who, "insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [fakeHash(`${who}-${memberKey}`), memberKey]),
          INSUFFICIENT_PRIVILEGE,
        );
      }
    });

    it("key_status names each state", async () => {
      const f = await freshTeam("status");
      const active = await insertKeyAs(db, f.owner, f.teamId);
      const revoked = await insertKeyAs(db, f.owner, f.teamId);
      const disabled = await insertKeyAs(db, f.owner, f.teamId);
      const expiring = await insertKeyAs(db, f.owner, f.teamId);
      const expired = await insertKeyAs(db, f.owner, f.teamId);
      await db.query("update public.api_keys set revoked_at = now() where id = $1", [revoked]);
      await db.query("update public.api_keys set disabled_at = now(), disabled_reason = 'user' where id = $1", [disabled]);
      await db.query("update public.api_keys set expires_at = now() + interval '2 days' where id = $1", [expiring]);
      await db.query("update public.api_keys set expires_at = now() - interval '1 second' where id = $1", [expired]);
      const rows = await queryAs<{ id: string; status: string }>(db, f.owner, "select k.id, public.key_status(k) as status from public.api_keys k");
      const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
      expect(status).toEqual({ [active]: "active", [revoked]: "revoked", [disabled]: "disabled", [expiring]: "expiring", [expired]: "expired" });
    });
  });

  describe("audit log", () => {
    it("a member sees only their own entries", async () => {
      const rows = await queryAs<{ id: number; actor_id: string }>(db, A.member, "select id, actor_id from public.audit_log");
      expect(rows).toEqual([{ id: auditA.member, actor_id: A.member }]);
    });

    it("admins and the owner see every entry of the team", async () => {
      const all = new Set(Object.values(auditA));
      for (const who of ["owner", "admin"] as const) {
        const rows = await queryAs<{ id: number }>(db, A[who], "select id from public.audit_log");
        expect(new Set(rows.map((r) => r.id))).toEqual(all);
      }
    });

    it("the audit log cannot be edited or deleted by users", async () => {
      await expectSqlState(queryAs(db, A.owner, "update public.audit_log set action = 'key.revoked'"), INSUFFICIENT_PRIVILEGE);
      await expectSqlState(queryAs(db, A.owner, "delete from public.audit_log"), INSUFFICIENT_PRIVILEGE);
    });
  });

  describe("removed members' keys", () => {
    async function keyState(id: string) {
      const { rows } = await db.query<{ disabled_at: Date | null; disabled_reason: string | null; revoked_at: Date | null }>(
        "select disabled_at, disabled_reason, revoked_at from public.api_keys where id = $1",
        [id],
      );
      return rows[0]!;
    }

    it("removing a member disables their keys in that team only, and nobody else's", async () => {
      const f = await freshTeam("remove-sql");
      const k1 = await insertKeyAs(db, f.member, f.teamId, "one");
      const k2 = await insertKeyAs(db, f.member, f.teamId, "two");
      const revoked = await insertKeyAs(db, f.member, f.teamId, "revoked");
      await queryAs(db, f.member, "update public.api_keys set revoked_at = now() where id = $1", [revoked]);
      const otherMembers = await insertKeyAs(db, f.member2, f.teamId);
      // The same person in another team keeps that team's keys.
      const elsewhere = await createTeamAs(db, f.member, "Elsewhere");
      const kElsewhere = await insertKeyAs(db, f.member, elsewhere);

      await queryAs(db, f.admin, "delete from public.team_members where team_id = $1 and user_id = $2", [f.teamId, f.member]);

      for (const k of [k1, k2]) {
        const s = await keyState(k);
        expect(s.disabled_at).not.toBeNull();
        expect(s.disabled_reason).toBe("member_removed");
      }
      expect(await keyState(revoked)).toMatchObject({ disabled_at: null, disabled_reason: null });
      expect(await keyState(otherMembers)).toMatchObject({ disabled_at: null, disabled_reason: null });
      expect(await keyState(kElsewhere)).toMatchObject({ disabled_at: null, disabled_reason: null });
      // And the removed member can no longer touch them.
      expect(await queryAs(db, f.member, "update public.api_keys set disabled_at = null where id = $1 returning id", [k1])).toEqual([]);
    });

    it("leaving a team disables the leaver's keys", async () => {
      const f = await freshTeam("leave-sql");
      const k = await insertKeyAs(db, f.member, f.teamId);
      await queryAs(db, f.member, "delete from public.team_members where team_id = $1 and user_id = auth.uid()", [f.teamId]);
      expect(await keyState(k)).toMatchObject({ disabled_reason: "member_removed" });
      expect((await keyState(k)).disabled_at).not.toBeNull();
    });
  });

  describe("team_key_count", () => {
    it("counts every member's keys, excluding revoked and replaced ones, for any member", async () => {
      const f = await freshTeam("count");
      await insertKeyAs(db, f.owner, f.teamId);
      await insertKeyAs(db, f.admin, f.teamId);
      await insertKeyAs(db, f.member, f.teamId);
      const revoked = await insertKeyAs(db, f.member2, f.teamId);
      const old = await insertKeyAs(db, f.member2, f.teamId, "old");
      const successor = await insertKeyAs(db, f.member2, f.teamId, "successor");
      const disabled = await insertKeyAs(db, f.member2, f.teamId, "disabled");
      await queryAs(db, f.member2, "update public.api_keys set revoked_at = now() where id = $1", [revoked]);
      await queryAs(db, f.member2, "update public.api_keys set replaced_by_id = $2, grace_until = now() + interval '1 day' where id = $1", [
        old,
        successor,
      ]);
      await queryAs(db, f.member2, "update public.api_keys set disabled_at = now(), disabled_reason = 'user' where id = $1", [disabled]);
      // owner, admin, member, successor, disabled
      for (const who of [f.owner, f.admin, f.member, f.member2]) {
        const [row] = await queryAs<{ n: number | null }>(db, who, "select public.team_key_count($1) as n", [f.teamId]);
        expect(row?.n).toBe(5);
      }
      // The member sees only their own key but the count covers the whole team.
      expect(await queryAs(db, f.member, "select id from public.api_keys")).toHaveLength(1);
    });

    it("returns null for a non-member and for a former member", async () => {
      const f = await freshTeam("count-null");
      await insertKeyAs(db, f.owner, f.teamId);
      const outsider = await createUser(db, `count-outsider-${f.teamId}@example.com`);
      const [a] = await queryAs<{ n: number | null }>(db, outsider, "select public.team_key_count($1) as n", [f.teamId]);
      expect(a?.n).toBeNull();
      await queryAs(db, f.member, "delete from public.team_members where team_id = $1 and user_id = auth.uid()", [f.teamId]);
      const [b] = await queryAs<{ n: number | null }>(db, f.member, "select public.team_key_count($1) as n", [f.teamId]);
      expect(b?.n).toBeNull();
    });
  });

  describe("SQL functions as the invitee", () => {
    it("invitation_preview and accept_invitation are callable by authenticated users; anon gets nothing", async () => {
      const hash = fakeHash(A.teamId);
      const outsider = await createUser(db, `preview-${A.teamId}@example.com`);
      const rows = await queryAs<{ team_name: string; status: string }>(db, outsider, "select * from public.invitation_preview($1)", [hash]);
      expect(rows[0]).toMatchObject({ team_name: "Team a-1", status: "pending" });
      await expectSqlState(
        db.transaction(async (tx) => {
          await tx.exec("set local role anon");
          await tx.query("select * from public.invitation_preview($1)", [hash]);
        }),
        INSUFFICIENT_PRIVILEGE,
      );
    });

    it("asUserOn really runs as authenticated with the given uid", async () => {
      const rows = await asUserOn(db, A.member, async (tx) => (await tx.query<{ r: string; u: string }>("select current_user as r, auth.uid()::text as u")).rows);
      expect(rows[0]).toEqual({ r: "authenticated", u: A.member });
    });
  });
});
