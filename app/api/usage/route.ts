// GET /api/usage?days=7|30|90&key_id=: quota, daily series, top endpoints and error codes.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { usageSummary } from "@/lib/usage/queries";
import { usageQuerySchema } from "@/lib/usage/usage.schema";

export const GET = dashboardRoute(async (req, ctx) => {
  const q = usageQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await usageSummary({ userId: ctx.user.id, teamId: ctx.team.id }, { days: q.days, keyId: q.key_id }), {
    headers: { "cache-control": "no-store" },
  });
});
