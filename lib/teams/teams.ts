import "server-only";
import { asUser } from "@/lib/db/as-user";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { PlanId } from "@/lib/plans";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { applyPlanOn, SYSTEM, type PlanChangeBy } from "./apply-plan";
import type { SessionUser } from "@/lib/auth/builtin";
import type { TeamRole } from "@/lib/schemas/team.schema";

export type { TeamRole };

export interface TeamSummary {
  id: string;
  name: string;
  plan: PlanId;
  role: TeamRole;
}

export interface TeamContext {
  user: SessionUser;
  team: TeamSummary;
  teams: TeamSummary[];
}

export function defaultTeamName(email: string): string {
  const local = email.split("@")[0] ?? "My";
  return `${local.slice(0, 60)}'s team`;
}

/**
 * Every signed-in user has a profile and at least one team. Built-in sign-up calls this at once;
 * in Supabase mode it runs the first time the dashboard sees a new user. A person who joined a
 * team before their profile existed (an invitation accepted first, Supabase mode) gets no team
 * of their own; neither does one signing up from an invitation (`opts.ownTeam: false`), whose
 * team comes with accepting it. Idempotent: only the call that creates the profile does anything.
 */
export async function ensureUserBootstrapped(user: SessionUser, opts: { ownTeam?: boolean } = {}): Promise<void> {
  const db = await getDb();
  const inserted = await db.query(
    "insert into public.profiles (id, email) values ($1, $2) on conflict (id) do nothing returning id",
    [user.id, user.email],
  );
  if (inserted.rows.length === 0 || opts.ownTeam === false) return;
  await asUser(user.id, async (tx) => {
    const joined = await tx.query<{ team_id: string }>(
      `select m.team_id from public.team_members m join public.teams t on t.id = m.team_id
        where m.user_id = auth.uid() order by t.created_at limit 1`,
    );
    if (joined.rows[0]) {
      await tx.query("update public.profiles set current_team_id = $1 where id = auth.uid()", [joined.rows[0].team_id]);
      return;
    }
    await tx.query("select public.create_team($1)", [defaultTeamName(user.email)]);
  });
}

export async function loadTeamContext(user: SessionUser): Promise<TeamContext> {
  const { teams, current } = await asUser(user.id, async (tx) => {
    const t = await tx.query<TeamSummary>(
      `select t.id, t.name, t.plan, m.role from public.team_members m join public.teams t on t.id = m.team_id
        where m.user_id = auth.uid() order by t.created_at`,
    );
    const p = await tx.query<{ current_team_id: string | null }>("select current_team_id from public.profiles where id = auth.uid()");
    return { teams: t.rows, current: p.rows[0]?.current_team_id ?? null };
  });
  if (teams.length === 0) {
    // A user who left or was removed from every team gets a fresh one of their own.
    await asUser(user.id, (tx) => tx.query("select public.create_team($1)", [defaultTeamName(user.email)]));
    return loadTeamContext(user);
  }
  const team = teams.find((t) => t.id === current) ?? teams[0]!;
  return { user, team, teams };
}

export async function switchTeam(userId: string, teamId: string): Promise<void> {
  await asUser(userId, async (tx) => {
    const member = await tx.query("select 1 from public.team_members where team_id = $1 and user_id = auth.uid()", [teamId]);
    if (member.rows.length === 0) throw new AppError("not_found", "You are not a member of that team.");
    await tx.query("update public.profiles set current_team_id = $1 where id = auth.uid()", [teamId]);
  });
}

export async function createAdditionalTeam(userId: string, name: string): Promise<string> {
  return asUser(userId, async (tx) => {
    const { rows } = await tx.query<{ id: string }>("select public.create_team($1) as id", [name]);
    await tx.query("update public.profiles set current_team_id = $1 where id = auth.uid()", [rows[0]!.id]);
    return rows[0]!.id;
  });
}

export async function renameTeam(userId: string, teamId: string, name: string): Promise<void> {
  await asUser(userId, async (tx) => {
    const r = await tx.query("update public.teams set name = $2 where id = $1 returning id", [teamId, name]);
    if (r.rows.length === 0) throw new AppError("forbidden", "Only the team's owner can rename it.");
  });
}

/**
 * Development mode only (no Stripe configured): the owner picks the plan directly. The plan
 * column is not writable on a user's connection, so ownership is checked as the user and the
 * write made on the server's own connection.
 *
 * @param ip the owner's address, for the activity log
 */
export async function setPlanDirectly(userId: string, teamId: string, plan: PlanId, ip: string | null = null): Promise<void> {
  const role = await asUser(userId, async (tx) => {
    const r = await tx.query<{ role: TeamRole }>("select role from public.team_members where team_id = $1 and user_id = auth.uid()", [teamId]);
    return r.rows[0]?.role;
  });
  if (role !== "owner") throw new AppError("forbidden", "Only the team's owner can change the plan.");
  await applyPlan(teamId, plan, { userId, ip });
}

/**
 * Every plan change goes through here (development mode now, billing webhooks later): the team's
 * plan and a `plan.changed` activity entry (`{ from, to }`), in one transaction (applyPlanOn). Keys
 * are never rewritten: each keeps the rate limit its owner chose, and verify_api_call enforces
 * least(key's limit, plan ceiling), so a downgrade caps at once and an upgrade restores. A real
 * change emits the `subscription.updated` webhook in the same transaction.
 *
 * @param by who changed it and from where; `{ userId: null, ip: null }` for the system
 */
export async function applyPlan(teamId: string, planId: PlanId, by: PlanChangeBy = SYSTEM): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    // With Stripe, lib/billing/sync.ts applies plans and emits from onSubscriptionChanged; a direct
    // (development-mode) change is active at once.
    if (await applyPlanOn(tx, teamId, planId, by)) await emitWebhookEvent(tx, teamId, "subscription.updated", { plan: planId, status: "active" });
  });
}
