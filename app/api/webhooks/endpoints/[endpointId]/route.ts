// GET, PATCH {url?, description?, event_types?}, DELETE one endpoint.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readJsonBody } from "@/lib/http/read-input";
import { updateEndpointSchema } from "@/lib/webhooks/endpoint-input.schema";
import { deleteEndpoint, getEndpoint, updateEndpoint } from "@/lib/webhooks/endpoints";
import { endpointIdOf, webhookContext } from "@/lib/webhooks/http";

export const GET = dashboardRoute<{ endpointId: string }>(async (_req, ctx, params) => {
  const { db, actor } = await webhookContext(ctx);
  return Response.json({ endpoint: await getEndpoint(db, actor, endpointIdOf(params)) });
});

export const PATCH = dashboardRoute<{ endpointId: string }>(async (req, ctx, params) => {
  const { db, actor, policy } = await webhookContext(ctx);
  const id = endpointIdOf(params);
  const input = await readJsonBody(req, updateEndpointSchema);
  return Response.json({ endpoint: await updateEndpoint(db, actor, id, input, policy) });
});

export const DELETE = dashboardRoute<{ endpointId: string }>(async (_req, ctx, params) => {
  const { db, actor } = await webhookContext(ctx);
  await deleteEndpoint(db, actor, endpointIdOf(params));
  return Response.json({ deleted: true });
});
