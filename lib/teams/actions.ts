"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { teamAction, runAction, type ActionResult } from "@/lib/actions/action";
import { requireUser } from "@/lib/auth/require";
import { requestIp } from "@/lib/auth/session";
import { changeRoleSchema, invitationIdSchema, inviteSchema, memberIdSchema, teamIdSchema, teamNameSchema } from "@/lib/schemas/team.schema";
import { acceptInvitation, createInvitation, invitationPath, invitationUrl, revokeInvitation } from "@/lib/teams/invitations";
import { changeRole, leaveTeam, removeMember } from "@/lib/teams/members";
import { createAdditionalTeam, renameTeam, switchTeam } from "@/lib/teams/teams";

// Team server actions: each is signed-in member → parsed input → lib call → revalidated layout
// (teamAction in lib/actions/action.ts). Authorisation is the database's (RLS and the SQL functions).

export const inviteAction = teamAction(inviteSchema, async ({ user, team }, { email, role }) => {
  const { token } = await createInvitation(user.id, team.id, email, role, await requestIp());
  return { path: invitationPath(token), url: invitationUrl(token) };
});

export const revokeInvitationAction = teamAction(invitationIdSchema, async ({ user, team }, { invitationId }) => {
  await revokeInvitation(user.id, team.id, invitationId, await requestIp());
});

export const changeRoleAction = teamAction(changeRoleSchema, async ({ user, team }, { userId, role }) => {
  await changeRole(user.id, team.id, userId, role, await requestIp());
});

export const removeMemberAction = teamAction(memberIdSchema, async ({ user, team }, { userId }) => {
  await removeMember(user.id, team.id, userId, await requestIp());
});

export const leaveTeamAction = teamAction(z.unknown(), async ({ user, team }) => {
  await leaveTeam(user.id, team.id, await requestIp());
});

export const switchTeamAction = teamAction(teamIdSchema, async ({ user }, { teamId }) => {
  await switchTeam(user.id, teamId);
});

export const renameTeamAction = teamAction(teamNameSchema, async ({ user, team }, { name }) => {
  await renameTeam(user.id, team.id, name);
});

export const createTeamAction = teamAction(teamNameSchema, async ({ user }, { name }) => {
  await createAdditionalTeam(user.id, name);
});

const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** Joins the team of an invitation link, then goes to /team; a failure is a message to show. */
export async function acceptInvitationAction(token: string): Promise<ActionResult> {
  const parsed = tokenSchema.safeParse(token);
  if (!parsed.success) return { ok: false, message: "This invitation link is not valid." };
  // Outside runAction: requireUser redirects to sign-in, and so does success.
  const user = await requireUser(`/invite/${parsed.data}`);
  const ip = await requestIp();
  const result = await runAction(() => acceptInvitation(user.id, parsed.data, ip));
  if (!result.ok) return result;
  redirect("/team");
}
