import "server-only";
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

export async function changeRole(userId: string, teamId: string, targetUserId: string, role: "admin" | "member"): Promise<void> {
  await asUser(userId, async (tx) => {
    const r = await tx.query("update public.team_members set role = $3 where team_id = $1 and user_id = $2 returning user_id", [
      teamId,
      targetUserId,
      role,
    ]);
    if (r.rows.length === 0) throw new AppError("forbidden", "You cannot change that member's role.");
  });
}

/** Removing a member disables their keys at once (a database trigger does it in the same transaction). */
export async function removeMember(userId: string, teamId: string, targetUserId: string): Promise<void> {
  if (targetUserId === userId) throw new AppError("invalid_request", "Use “Leave team” to remove yourself.");
  await asUser(userId, async (tx) => {
    const r = await tx.query("delete from public.team_members where team_id = $1 and user_id = $2 returning user_id", [teamId, targetUserId]);
    if (r.rows.length === 0) throw new AppError("forbidden", "You cannot remove that member.");
  });
}

export async function leaveTeam(userId: string, teamId: string): Promise<void> {
  await asUser(userId, async (tx) => {
    const role = await tx.query<{ role: TeamRole }>("select role from public.team_members where team_id = $1 and user_id = auth.uid()", [teamId]);
    if (role.rows[0]?.role === "owner") throw new AppError("forbidden", "The owner cannot leave the team.");
    const r = await tx.query("delete from public.team_members where team_id = $1 and user_id = auth.uid() returning user_id", [teamId]);
    if (r.rows.length === 0) throw new AppError("not_found", "You are not a member of that team.");
  });
}
