import type { ReactElement, ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import SignUpPage from "@/app/(auth)/sign-up/page";
import { GET as ping } from "@/app/api/public/ping/route";
import { purgeAuthHistory } from "@/lib/auth/retention";
import { completeSignUp, invitationTokenIn } from "@/lib/auth/sign-up";
import { consumeKeyReveal, FIRST_KEY_NAME, REVEAL_TTL_MS } from "@/lib/keys/first-key";
import { hashApiKey } from "@/lib/keys/format";
import { DEFAULT_KEY_SCOPES } from "@/lib/keys/key-input.schema";
import { flushCallLog } from "@/lib/public-api/call-log";
import { acceptInvitation, createInvitation, invitationPath, revokeInvitation } from "@/lib/teams/invitations";
import { ensureUserBootstrapped, loadTeamContext } from "@/lib/teams/teams";
import { apiRequest } from "../api-fixtures";
import { testDatabases, useAppDatabase } from "../databases";
import { createUser } from "../fixtures";
import { inRequestScope } from "../next-request-scope";

vi.mock("next/headers", () => import("../next-request-scope"));

/**
 * The sign-up page's subtitle for an anonymous visitor arriving with `?next=<next>`, and, after
 * " | ", whether its form offers "Create my first API key".
 */
async function signUpSubtitle(next: string): Promise<ReactNode> {
  const page = await inRequestScope(new Headers(), () => SignUpPage({ searchParams: Promise.resolve({ next }) }));
  const { subtitle, children } = (page as ReactElement<{ subtitle: ReactNode; children: ReactElement<{ offerFirstKey?: boolean }> }>).props;
  return `${String(subtitle)} | ${children.props.offerFirstKey === false ? "no first key" : "first key offered"}`;
}

/** What a new account gets (lib/auth/sign-up.ts): a first key on request, no team when joining by invitation. */
describe.each(testDatabases())("sign-up on $name", ({ open }) => {
  const suite = useAppDatabase(open);
  let counter = 0;

  /** A user as the built-in provider leaves one: in auth.users, no profile, no team. */
  async function newUser(label: string) {
    counter += 1;
    const email = `${label}-${counter}@example.com`;
    const id = await createUser(suite.db, email, { profile: false });
    return { id, email };
  }

  async function teamsOf(userId: string) {
    const { rows } = await suite.db.query<{ team_id: string; role: string }>("select team_id, role from public.team_members where user_id = $1", [userId]);
    return rows;
  }

  async function keysOf(userId: string) {
    const { rows } = await suite.db.query<{ id: string; name: string; scopes: string[]; rate_limit_per_minute: number; use_cap: number | null; expires_at: Date | null }>(
      "select id, name, scopes, rate_limit_per_minute, use_cap, expires_at from public.api_keys where created_by = $1",
      [userId],
    );
    return rows;
  }

  describe("a first key", () => {
    it("is made for the first team with the keys page's defaults and logged; its secret is revealed once and works", async () => {
      const user = await newUser("first-key");
      const { reveal } = await completeSignUp(user, { firstKey: true, ip: "203.0.113.9" });
      expect(reveal).not.toBeNull();
      expect(reveal!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(REVEAL_TTL_MS);

      const teams = await teamsOf(user.id);
      expect(teams).toEqual([{ team_id: expect.any(String), role: "owner" }]);
      const keys = await keysOf(user.id);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ name: FIRST_KEY_NAME, rate_limit_per_minute: 10, use_cap: null, expires_at: null });
      expect([...keys[0]!.scopes].sort()).toEqual([...DEFAULT_KEY_SCOPES].sort());
      const log = await suite.db.query<{ action: string; actor_id: string; ip: string | null; team_id: string }>(
        "select action, actor_id, host(ip) as ip, team_id from public.audit_log where key_id = $1",
        [keys[0]!.id],
      );
      expect(log.rows).toEqual([{ action: "key.created", actor_id: user.id, ip: "203.0.113.9", team_id: teams[0]!.team_id }]);

      // Stored sealed: neither the row nor the cookie's token holds the secret.
      const stored = await suite.db.query<{ sealed: string }>("select sealed from public.key_reveals where user_id = $1", [user.id]);
      expect(stored.rows).toHaveLength(1);

      const shown = await consumeKeyReveal(user.id, reveal!.token);
      expect(shown).not.toBeNull();
      expect(shown!.key.id).toBe(keys[0]!.id);
      expect(shown!.secret).toMatch(/^sk_live_/);
      expect(stored.rows[0]!.sealed).not.toContain(shown!.secret);
      expect(reveal!.token).not.toContain(shown!.secret);
      const hashed = await suite.db.query("select 1 from public.api_key_hashes where key_hash = $1 and key_id = $2", [hashApiKey(shown!.secret), keys[0]!.id]);
      expect(hashed.rows).toHaveLength(1);

      // Once: the row is gone, a second view (a reload) gets nothing.
      expect(await consumeKeyReveal(user.id, reveal!.token)).toBeNull();
      expect((await suite.db.query("select 1 from public.key_reveals where user_id = $1", [user.id])).rows).toHaveLength(0);

      const res = await ping(apiRequest("/api/public/ping", { key: shown!.secret }));
      expect(res.status).toBe(200);
      await flushCallLog();
    });

    it("is not made when the box is not ticked", async () => {
      const user = await newUser("no-key");
      expect(await completeSignUp(user, { firstKey: false, ip: "203.0.113.9" })).toEqual({ reveal: null, joinedTeamId: null });
      expect(await teamsOf(user.id)).toHaveLength(1);
      expect(await keysOf(user.id)).toHaveLength(0);
      expect((await suite.db.query("select 1 from public.key_reveals where user_id = $1", [user.id])).rows).toHaveLength(0);
    });

    it("is revealed to nobody else, not with a forged token, and not after it expired", async () => {
      const user = await newUser("guarded");
      const other = await newUser("other");
      await completeSignUp(other, { firstKey: false, ip: "203.0.113.9" });
      const reveal = (await completeSignUp(user, { firstKey: true, ip: "203.0.113.9" })).reveal!;
      expect(await consumeKeyReveal(other.id, reveal.token)).toBeNull();
      expect(await consumeKeyReveal(user.id, "not-a-token")).toBeNull();
      const [id] = reveal.token.split(".");
      expect(await consumeKeyReveal(user.id, `${id}.${"A".repeat(43)}`)).toBeNull(); // wrong key: the row is spent, nothing shown

      const late = await newUser("late");
      const lateReveal = (await completeSignUp(late, { firstKey: true, ip: "203.0.113.9" })).reveal!;
      expect(await consumeKeyReveal(late.id, lateReveal.token, "", new Date(Date.now() + REVEAL_TTL_MS + 1000))).toBeNull();
    });
  });

  describe("from an invitation", () => {
    async function invite(email: string) {
      const owner = await newUser("inviter");
      await completeSignUp(owner, { firstKey: false, ip: "203.0.113.9" });
      const teamId = (await teamsOf(owner.id))[0]!.team_id;
      const { id, token } = await createInvitation(owner.id, teamId, email, "member");
      return { teamId, token, id, ownerId: owner.id };
    }

    it("gets no team of its own: the person joins the inviting team and only that one", async () => {
      counter += 1;
      const email = `invitee-${counter}@example.com`;
      const { teamId, token } = await invite(email);
      const id = await createUser(suite.db, email, { profile: false });
      expect(invitationTokenIn(invitationPath(token))).toBe(token);
      // The box is ignored here: there is no team of theirs to hold a key. Signing up accepts
      // the invitation at once, so no dashboard view in between can make them a team.
      expect(await completeSignUp({ id, email }, { next: invitationPath(token), firstKey: true, ip: "203.0.113.9" })).toEqual({ reveal: null, joinedTeamId: teamId });
      expect(await teamsOf(id)).toEqual([{ team_id: teamId, role: "member" }]);
      const ctx = await loadTeamContext({ id, email });
      expect(ctx.team.id).toBe(teamId);
      expect(ctx.teams.map((x) => x.id)).toEqual([teamId]);
      expect(await keysOf(id)).toHaveLength(0);
    });

    it("with another email than the invitation's, or a used link, the account gets its own team as usual", async () => {
      const { token } = await invite(`someone-${counter}@example.com`);
      const stranger = await newUser("stranger");
      await completeSignUp(stranger, { next: invitationPath(token), firstKey: false, ip: "203.0.113.9" });
      expect((await teamsOf(stranger.id)).map((x) => x.role)).toEqual(["owner"]);
    });

    it("the sign-up page says the account joins the inviting team only for a pending invitation", async () => {
      const JOIN = "You join the team that invited you. | no first key";
      const OWN = "You get a team of your own on the Free plan. | first key offered";
      const pending = await invite(`page-pending-${counter}@example.com`);
      expect(await signUpSubtitle(invitationPath(pending.token))).toBe(JOIN);

      // Each of these signs up with a team of its own (completeSignUp), so the page must say so.
      const revoked = await invite(`page-revoked-${counter}@example.com`);
      await revokeInvitation(revoked.ownerId, revoked.teamId, revoked.id);
      const expired = await invite(`page-expired-${counter}@example.com`);
      await suite.db.query("update public.invitations set expires_at = now() - interval '1 second' where id = $1", [expired.id]);
      counter += 1;
      const acceptedEmail = `page-accepted-${counter}@example.com`;
      const accepted = await invite(acceptedEmail);
      await acceptInvitation(await createUser(suite.db, acceptedEmail), accepted.token);
      const stale = { revoked: revoked.token, expired: expired.token, accepted: accepted.token, unknown: "A".repeat(43) };
      for (const [state, token] of Object.entries(stale)) expect(await signUpSubtitle(invitationPath(token)), state).toBe(OWN);
      expect(await signUpSubtitle("/keys")).toBe(OWN);
    });

    it("Supabase mode: an invitation accepted before the profile exists leaves no own team to make", async () => {
      counter += 1;
      const email = `supa-${counter}@example.com`;
      const { teamId, token } = await invite(email);
      const id = await createUser(suite.db, email, { profile: false });
      await acceptInvitation(id, token);
      await ensureUserBootstrapped({ id, email });
      expect(await teamsOf(id)).toEqual([{ team_id: teamId, role: "member" }]);
      const current = await suite.db.query<{ current_team_id: string }>("select current_team_id from public.profiles where id = $1", [id]);
      expect(current.rows[0]!.current_team_id).toBe(teamId);
    });
  });

  describe("retention", () => {
    it("purges throttle rows older than a day, expired sessions and unread expired reveals; keeps the recent ones", async () => {
      const user = await newUser("purge");
      await completeSignUp(user, { firstKey: false, ip: "203.0.113.9" });
      const stale = (await completeSignUp(await newUser("stale"), { firstKey: true, ip: "203.0.113.9" })).reveal!;
      const fresh = await newUser("fresh");
      const freshReveal = (await completeSignUp(fresh, { firstKey: true, ip: "203.0.113.9" })).reveal!;
      await suite.db.query("update public.key_reveals set expires_at = now() - interval '1 minute' where id = $1", [stale.token.split(".")[0]]);
      await suite.db.query(
        `insert into auth.llavero_sign_in_failures (email, ip, failed_at) values
           ('old@example.com', '198.51.100.1', now() - interval '25 hours'), ('new@example.com', '198.51.100.1', now() - interval '1 hour')`,
      );
      await suite.db.query(
        `insert into auth.llavero_sign_up_attempts (ip, attempted_at) values ('198.51.100.2', now() - interval '2 days'), ('198.51.100.2', now())`,
      );
      await suite.db.query(
        `insert into auth.llavero_sessions (token_hash, user_id, expires_at) values ('purge-old', $1, now() - interval '1 second'), ('purge-new', $1, now() + interval '1 day')`,
        [user.id],
      );
      const result = await purgeAuthHistory(suite.db);
      expect(result).toMatchObject({ signInFailures: 1, signUpAttempts: 1, expiredSessions: 1, keyReveals: 1 });
      expect((await suite.db.query("select email from auth.llavero_sign_in_failures")).rows).toEqual([{ email: "new@example.com" }]);
      expect((await suite.db.query("select ip from auth.llavero_sign_up_attempts")).rows).toEqual([{ ip: "198.51.100.2" }]);
      expect((await suite.db.query("select token_hash from auth.llavero_sessions where token_hash like 'purge-%'")).rows).toEqual([{ token_hash: "purge-new" }]);
      expect(await consumeKeyReveal(fresh.id, freshReveal.token)).not.toBeNull();
      expect(await purgeAuthHistory(suite.db)).toMatchObject({ signInFailures: 0, signUpAttempts: 0, expiredSessions: 0, keyReveals: 0 });
    });
  });
});
