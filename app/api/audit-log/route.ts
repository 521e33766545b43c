// GET /api/audit-log?cursor=: the team's key lifecycle log, newest first, as far as RLS lets this user see.
import { z } from "zod";
import { listActivityLog } from "@/lib/activity/activity-log";
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readQuery } from "@/lib/http/read-input";

const querySchema = z.object({
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const GET = dashboardRoute(async (req, ctx) => {
  const q = readQuery(req, querySchema);
  return Response.json(await listActivityLog({ userId: ctx.user.id, teamId: ctx.team.id }, { cursor: q.cursor, limit: q.limit }));
});
