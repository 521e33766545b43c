// GET /api/billing/status: the billing page's data (members: plan and quota only).
import { getBillingOverview } from "@/lib/billing/overview";
import { dashboardRoute } from "@/lib/http/dashboard-api";

export const GET = dashboardRoute(async (_req, ctx) => Response.json(await getBillingOverview(ctx.user.id, ctx.team.id), { headers: { "cache-control": "no-store" } }));
