"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/require";
import { AppError } from "@/lib/errors";
import { acceptInvitation } from "@/lib/teams/invitations";

export async function acceptInvitationAction(token: string): Promise<{ message: string }> {
  const parsed = z.string().regex(/^[A-Za-z0-9_-]{43}$/).safeParse(token);
  if (!parsed.success) return { message: "This invitation link is not valid." };
  const user = await requireUser(`/invite/${parsed.data}`);
  try {
    await acceptInvitation(user.id, parsed.data);
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
  redirect("/team");
}
