import "server-only";
import { getCurrentUser, requestIp } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { loadTeamContext, type TeamContext } from "@/lib/teams/teams";
import { failureResponse } from "./envelope";
import { requestIdOf } from "./request-id";
import { assertSameOriginRequest } from "./same-origin";

export interface DashboardRequestContext extends TeamContext {
  ip: string;
  requestId: string;
}

/**
 * Session-authenticated JSON routes the dashboard calls: refuse cross-site writes (same-origin.ts),
 * resolve the user and current team,
 * run the handler with the route's decoded params, and map every failure to the envelope
 * (AppError, zod, our SQLSTATEs; anything else a logged 500).
 */
export function dashboardRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (req: Request, ctx: DashboardRequestContext, params: P) => Promise<Response>,
  /** `acceptForms`: an HTML form may post here (still same-origin only); see same-origin.ts. */
  opts: { acceptForms?: boolean } = {},
) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdOf(req);
    try {
      // Before the session is read: a cross-site write learns nothing, not even whether it was signed in.
      assertSameOriginRequest(req.method, req.headers, undefined, opts);
      const user = await getCurrentUser();
      if (!user) throw new AppError("unauthorized", "Sign in first.");
      const team = await loadTeamContext(user);
      const res = await handler(req, { ...team, ip: await requestIp(), requestId }, await route.params);
      res.headers.set("x-request-id", requestId);
      return res;
    } catch (err) {
      return failureResponse(err, requestId, "dashboard route");
    }
  };
}
