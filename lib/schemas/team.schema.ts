import { z } from "zod";
import { PLAN_IDS } from "@/lib/plans";
import { emailSchema } from "./auth.schema";

/** Team roles, as team_members.role's check constraint lists them. */
export const TEAM_ROLES = ["owner", "admin", "member"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
/** The roles an invitation or a role change may give (invitations.role; nobody is made owner). */
export const INVITABLE_ROLES = ["admin", "member"] as const;

export const inviteSchema = z.object({
  email: emailSchema,
  role: z.enum(INVITABLE_ROLES, { message: "Choose admin or member." }),
});

export const changeRoleSchema = z.object({
  userId: z.uuid(),
  role: z.enum(INVITABLE_ROLES),
});

export const memberIdSchema = z.object({ userId: z.uuid() });
export const teamIdSchema = z.object({ teamId: z.uuid() });
export const invitationIdSchema = z.object({ invitationId: z.uuid() });
export const teamNameSchema = z.object({ name: z.string().trim().min(1, { message: "Enter a name." }).max(80) });
export const planSchema = z.object({ plan: z.enum(PLAN_IDS) });
