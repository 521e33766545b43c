import "server-only";
import { recordTeamActivity } from "@/lib/activity/record";
import { asUser } from "@/lib/db/as-user";
import { AppError } from "@/lib/errors";
import type { TeamRole } from "./teams";

export interface Member {
  user_id: string;
  email: string;
  role: TeamRole;
  joined_at: Date;
}

export async function listMembers(userId: string, teamId: string): Promise<Member[]> {
  return asUser(userId, async (tx) => {
    const { rows } = await tx.query<Member>(
      `select m.user_id, p.email, m.role, m.created_at as joined_at
         from public.team_members m join public.profiles p on p.id = m.user_id
        where m.team_id = $1
        order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, p.email`,
      [teamId],
    );
    return rows;
  });
}

export async function changeRole(userId: string, teamId: string, targetUserId: string, role: "admin" | "member", ip: string | null = null): Promise<void> {
  await asUser(userId, async (tx) => {
    const before = await tx.query<{ role: string }>("select role from public.team_members where team_id = $1 and user_id = $2", [teamId, targetUserId]);
    const r = await tx.query("update public.team_members set role = $3 where team_id = $1 and user_id = $2 returning user_id", [
      teamId,
      targetUserId,
      role,
    ]);
    if (r.rows.length === 0) throw new AppError("forbidden", "You cannot change that member's role.");
    const from = before.rows[0]?.role;
    if (from !== role) await recordTeamActivity(tx, { teamId, action: "member.role_changed", subjectId: targetUserId, details: { from, to: role }, ip });
  });
}

/** Removing a member disables their keys at once (a database trigger does it in the same transaction). */
export async function removeMember(userId: string, teamId: string, targetUserId: string, ip: string | null = null): Promise<void> {
  if (targetUserId === userId) throw new AppError("invalid_request", "Use “Leave team” to remove yourself.");
  await asUser(userId, async (tx) => {
    const before = await tx.query<{ role: string }>("select role from public.team_members where team_id = $1 and user_id = $2", [teamId, targetUserId]);
    // Written first, while the member's profile is still visible (the entry keeps their email); a refused delete rolls it back.
    if (before.rows[0]) await recordTeamActivity(tx, { teamId, action: "member.removed", subjectId: targetUserId, details: { role: before.rows[0].role }, ip });
    const r = await tx.query("delete from public.team_members where team_id = $1 and user_id = $2 returning user_id", [teamId, targetUserId]);
    if (r.rows.length === 0) throw new AppError("forbidden", "You cannot remove that member.");
  });
}

/** The entry is written before the membership goes: the log's insert policy requires a member. */
export async function leaveTeam(userId: string, teamId: string, ip: string | null = null): Promise<void> {
  await asUser(userId, async (tx) => {
    const role = await tx.query<{ role: TeamRole }>("select role from public.team_members where team_id = $1 and user_id = auth.uid()", [teamId]);
    if (role.rows[0]?.role === "owner") throw new AppError("forbidden", "The owner cannot leave the team.");
    if (role.rows[0]) await recordTeamActivity(tx, { teamId, action: "member.left", subjectId: userId, details: { role: role.rows[0].role }, ip });
    const r = await tx.query("delete from public.team_members where team_id = $1 and user_id = auth.uid() returning user_id", [teamId]);
    if (r.rows.length === 0) throw new AppError("not_found", "You are not a member of that team.");
  });
}
