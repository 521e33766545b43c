import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { deploymentMode } from "@/lib/env";
import { ensureUserBootstrapped, loadTeamContext, type TeamContext } from "@/lib/teams/teams";
import { getCurrentUser, type SessionUser } from "./session";

export async function requireUser(nextPath?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(nextPath ? `/sign-in?next=${encodeURIComponent(nextPath)}` : "/sign-in");
  return user;
}

/** The signed-in user and their current team; cached for the rest of this request. */
export const requireTeamContext = cache(async (): Promise<TeamContext> => {
  const user = await requireUser();
  // Built-in sign-up bootstraps at once; Supabase users may arrive from Supabase's own flows.
  if (deploymentMode() === "supabase") await ensureUserBootstrapped(user);
  return loadTeamContext(user);
});
