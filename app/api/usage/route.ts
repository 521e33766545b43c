// GET /api/usage?days=7|30|90&key_id=: quota, daily series, top endpoints and error codes.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readQuery } from "@/lib/http/read-input";
import { usageSummary } from "@/lib/usage/queries";
import { usageQuerySchema } from "@/lib/usage/usage.schema";

export const GET = dashboardRoute(async (req, ctx) => {
  const q = readQuery(req, usageQuerySchema);
  return Response.json(await usageSummary({ userId: ctx.user.id, teamId: ctx.team.id }, { days: q.days, keyId: q.key_id }), {
    headers: { "cache-control": "no-store" },
  });
});
