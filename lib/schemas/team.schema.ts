import { z } from "zod";
import { PLAN_IDS } from "@/lib/plans";
import { emailSchema } from "./auth.schema";

export const inviteSchema = z.object({
  email: emailSchema,
  role: z.enum(["admin", "member"], { message: "Choose admin or member." }),
});

export const changeRoleSchema = z.object({
  userId: z.uuid(),
  role: z.enum(["admin", "member"]),
});

export const memberIdSchema = z.object({ userId: z.uuid() });
export const teamIdSchema = z.object({ teamId: z.uuid() });
export const invitationIdSchema = z.object({ invitationId: z.uuid() });
export const teamNameSchema = z.object({ name: z.string().trim().min(1, { message: "Enter a name." }).max(80) });
export const planSchema = z.object({ plan: z.enum(PLAN_IDS) });
