import "server-only";
import { recordTeamActivity } from "@/lib/activity/record";
import { asUser } from "@/lib/db/as-user";
import { getDb } from "@/lib/db";
import { AppError, fromDatabaseError } from "@/lib/errors";
import { newOpaqueToken, sha256Hex } from "@/lib/auth/tokens";
import { absoluteUrl } from "@/lib/site-url";

export interface PendingInvitation {
  id: string;
  email: string;
  role: "admin" | "member";
  created_at: Date;
  expires_at: Date;
}

export function invitationPath(token: string): string {
  return `/invite/${token}`;
}

/** The link to send the invitee, on the configured site origin (APP_URL). */
export function invitationUrl(token: string): string {
  return absoluteUrl(invitationPath(token));
}

/** Returns the single-use token; only its hash is stored, so this is the one time it exists. */
export async function createInvitation(
  userId: string,
  teamId: string,
  email: string,
  role: "admin" | "member",
  ip: string | null = null,
): Promise<{ id: string; token: string }> {
  const token = newOpaqueToken();
  return asUser(userId, async (tx) => {
    const already = await tx.query(
      `select 1 from public.team_members m join public.profiles p on p.id = m.user_id
        where m.team_id = $1 and lower(p.email) = lower($2)`,
      [teamId, email],
    );
    if (already.rows.length > 0) throw new AppError("conflict", `${email} is already a member of this team.`);
    try {
      const { rows } = await tx.query<{ id: string }>(
        "insert into public.invitations (team_id, email, role, token_hash, invited_by) values ($1, $2, $3, $4, auth.uid()) returning id",
        [teamId, email, role, sha256Hex(token)],
      );
      await recordTeamActivity(tx, { teamId, action: "invitation.sent", details: { email, role, invitation_id: rows[0]!.id }, ip });
      return { id: rows[0]!.id, token };
    } catch (err) {
      const mapped = fromDatabaseError(err);
      if (mapped?.code === "forbidden") throw new AppError("forbidden", "Only owners and admins can invite people.");
      throw mapped ?? err;
    }
  });
}

export async function listPendingInvitations(userId: string, teamId: string): Promise<PendingInvitation[]> {
  return asUser(userId, async (tx) => {
    const { rows } = await tx.query<PendingInvitation>(
      `select id, email, role, created_at, expires_at from public.invitations
        where team_id = $1 and accepted_at is null and revoked_at is null and expires_at > now()
        order by created_at desc`,
      [teamId],
    );
    return rows;
  });
}

export async function revokeInvitation(userId: string, teamId: string, invitationId: string, ip: string | null = null): Promise<void> {
  await asUser(userId, async (tx) => {
    const r = await tx.query<{ email: string; role: string }>(
      "update public.invitations set revoked_at = now() where id = $1 and team_id = $2 and accepted_at is null returning email, role",
      [invitationId, teamId],
    );
    if (r.rows.length === 0) throw new AppError("not_found", "That invitation is no longer pending.");
    await recordTeamActivity(tx, { teamId, action: "invitation.revoked", details: { email: r.rows[0]!.email, role: r.rows[0]!.role, invitation_id: invitationId }, ip });
  });
}

export interface InvitationPreview {
  team_name: string;
  email: string;
  role: "admin" | "member";
  expires_at: Date;
  status: "pending" | "accepted" | "expired" | "revoked";
}

/** What the invitee sees before signing in; the token itself is the credential. */
export async function previewInvitation(token: string): Promise<InvitationPreview | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const db = await getDb();
  const { rows } = await db.query<InvitationPreview>("select * from public.invitation_preview($1)", [sha256Hex(token)]);
  return rows[0] ?? null;
}

/** Joins the invitation's team; records `invitation.accepted` (subject: the new member). Returns the team id. */
export async function acceptInvitation(userId: string, token: string, ip: string | null = null): Promise<string> {
  try {
    return await asUser(userId, async (tx) => {
      const { rows } = await tx.query<{ team_id: string }>("select public.accept_invitation($1) as team_id", [sha256Hex(token)]);
      const teamId = rows[0]!.team_id;
      const role = await tx.query<{ role: string }>("select role from public.team_members where team_id = $1 and user_id = auth.uid()", [teamId]);
      await recordTeamActivity(tx, { teamId, action: "invitation.accepted", subjectId: userId, details: { role: role.rows[0]?.role ?? "member" }, ip });
      return teamId;
    });
  } catch (err) {
    throw fromDatabaseError(err) ?? err;
  }
}
