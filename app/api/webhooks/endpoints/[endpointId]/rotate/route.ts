// POST /api/webhooks/endpoints/{endpointId}/rotate: the new secret is in this answer only; the
// old one keeps signing beside it for 24 h.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { emptyBodySchema, readJsonBody } from "@/lib/http/read-input";
import { rotateEndpointSecret } from "@/lib/webhooks/endpoints";
import { endpointIdOf, webhookContext } from "@/lib/webhooks/http";

export const POST = dashboardRoute<{ endpointId: string }>(async (req, ctx, params) => {
  await readJsonBody(req, emptyBodySchema);
  const { db, actor } = await webhookContext(ctx);
  return Response.json(await rotateEndpointSecret(db, actor, endpointIdOf(params)), { status: 201 });
});
