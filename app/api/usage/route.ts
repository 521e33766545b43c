// GET /api/usage?days=7|30|90&key_id=: quota, daily series, top endpoints and error codes.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { jsonWithEtag } from "@/lib/http/etag";
import { readQuery } from "@/lib/http/read-input";
import { usageSummary } from "@/lib/usage/queries";
import { usageQuerySchema } from "@/lib/usage/usage.schema";

export const GET = dashboardRoute(async (req, ctx) => {
  const q = readQuery(req, usageQuerySchema);
  // Polled every few seconds: an unchanged summary is a 304 with no body (lib/http/etag.ts).
  // as_of is the clock at answer time; only its date matters to the page (the chart's last day).
  return jsonWithEtag(req, await usageSummary({ userId: ctx.user.id, teamId: ctx.team.id }, { days: q.days, keyId: q.key_id }), {
    validatorOf: (s) => ({ ...s, as_of: s.as_of.slice(0, 10) }),
  });
});
