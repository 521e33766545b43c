"use server";

import { revalidatePath } from "next/cache";
import { requireTeamContext } from "@/lib/auth/require";
import { runAction, type ActionResult } from "@/lib/http/action-result";
import { changeRoleSchema, invitationIdSchema, inviteSchema, memberIdSchema, teamIdSchema, teamNameSchema } from "@/lib/schemas/team.schema";
import { createInvitation, invitationPath, invitationUrl, revokeInvitation } from "@/lib/teams/invitations";
import { changeRole, leaveTeam, removeMember } from "@/lib/teams/members";
import { createAdditionalTeam, renameTeam, switchTeam } from "@/lib/teams/teams";

function done<T>(result: ActionResult<T>): ActionResult<T> {
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

export async function inviteAction(input: unknown): Promise<ActionResult<{ path: string; url: string }>> {
  return done(
    await runAction(async () => {
      const { user, team } = await requireTeamContext();
      const { email, role } = inviteSchema.parse(input);
      const { token } = await createInvitation(user.id, team.id, email, role);
      return { path: invitationPath(token), url: invitationUrl(token) };
    }),
  );
}

export async function revokeInvitationAction(input: unknown): Promise<ActionResult> {
  return done(
    await runAction(async () => {
      const { user, team } = await requireTeamContext();
      await revokeInvitation(user.id, team.id, invitationIdSchema.parse(input).invitationId);
      return undefined;
    }),
  );
}

export async function changeRoleAction(input: unknown): Promise<ActionResult> {
  return done(
    await runAction(async () => {
      const { user, team } = await requireTeamContext();
      const { userId, role } = changeRoleSchema.parse(input);
      await changeRole(user.id, team.id, userId, role);
      return undefined;
    }),
  );
}

export async function removeMemberAction(input: unknown): Promise<ActionResult> {
  return done(
    await runAction(async () => {
      const { user, team } = await requireTeamContext();
      await removeMember(user.id, team.id, memberIdSchema.parse(input).userId);
      return undefined;
    }),
  );
}

export async function leaveTeamAction(): Promise<ActionResult> {
  return done(
    await runAction(async () => {
      const { user, team } = await requireTeamContext();
      await leaveTeam(user.id, team.id);
      return undefined;
    }),
  );
}

export async function switchTeamAction(input: unknown): Promise<ActionResult> {
  return done(
    await runAction(async () => {
      const { user } = await requireTeamContext();
      await switchTeam(user.id, teamIdSchema.parse(input).teamId);
      return undefined;
    }),
  );
}

export async function renameTeamAction(input: unknown): Promise<ActionResult> {
  return done(
    await runAction(async () => {
      const { user, team } = await requireTeamContext();
      await renameTeam(user.id, team.id, teamNameSchema.parse(input).name);
      return undefined;
    }),
  );
}

export async function createTeamAction(input: unknown): Promise<ActionResult> {
  return done(
    await runAction(async () => {
      const { user } = await requireTeamContext();
      await createAdditionalTeam(user.id, teamNameSchema.parse(input).name);
      return undefined;
    }),
  );
}
