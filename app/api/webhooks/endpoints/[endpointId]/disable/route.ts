// POST /api/webhooks/endpoints/{endpointId}/disable
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { setEndpointEnabled } from "@/lib/webhooks/endpoints";
import { endpointIdOf, webhookContext } from "@/lib/webhooks/http";

export const POST = dashboardRoute<{ endpointId: string }>(async (_req, ctx, params) => {
  const { db, actor } = await webhookContext(ctx);
  return Response.json({ endpoint: await setEndpointEnabled(db, actor, endpointIdOf(params), false) });
});
