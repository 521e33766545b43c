// POST /api/webhooks/endpoints/{endpointId}/disable
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { emptyBodySchema, readJsonBody } from "@/lib/http/read-input";
import { setEndpointEnabled } from "@/lib/webhooks/endpoints";
import { endpointIdOf, webhookContext } from "@/lib/webhooks/http";

export const POST = dashboardRoute<{ endpointId: string }>(async (req, ctx, params) => {
  await readJsonBody(req, emptyBodySchema);
  const { db, actor } = await webhookContext(ctx);
  return Response.json({ endpoint: await setEndpointEnabled(db, actor, endpointIdOf(params), false) });
});
