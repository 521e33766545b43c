import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { deploymentMode } from "@/lib/env";
import { ensureUserBootstrapped, loadTeamContext, type TeamContext } from "@/lib/teams/teams";
import { REQUEST_PATH_HEADER } from "./request-path";
import { safeRedirectPath } from "./safe-redirect";
import { getCurrentUser, type SessionUser } from "./session";

/**
 * The signed-in user, or a redirect to sign-in that comes back here: `nextPath` when given, else
 * the page's own path and query as the proxy recorded it (so deep links survive signing in).
 */
export async function requireUser(nextPath?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) {
    const recorded = (await headers()).get(REQUEST_PATH_HEADER) ?? undefined;
    const target = nextPath ?? (recorded ? safeRedirectPath(recorded, "") : "");
    redirect(target && target !== "/" ? `/sign-in?next=${encodeURIComponent(target)}` : "/sign-in");
  }
  return user;
}

/** The signed-in user and their current team; cached for the rest of this request. */
export const requireTeamContext = cache(async (): Promise<TeamContext> => {
  const user = await requireUser();
  // Built-in sign-up bootstraps at once; Supabase users may arrive from Supabase's own flows.
  if (deploymentMode() === "supabase") await ensureUserBootstrapped(user);
  return loadTeamContext(user);
});
