// POST /api/webhooks/endpoints/{endpointId}/test: queues a `webhook.test` message to this endpoint.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { emptyBodySchema, readJsonBody } from "@/lib/http/read-input";
import { sendTestEvent } from "@/lib/webhooks/endpoints";
import { endpointIdOf, webhookContext } from "@/lib/webhooks/http";

export const POST = dashboardRoute<{ endpointId: string }>(async (req, ctx, params) => {
  await readJsonBody(req, emptyBodySchema);
  const { db, actor } = await webhookContext(ctx);
  return Response.json(await sendTestEvent(db, actor, endpointIdOf(params)), { status: 202 });
});
