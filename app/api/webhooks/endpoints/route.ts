// GET /api/webhooks/endpoints (list, with whether private addresses are allowed), POST (create:
// the secret is in this answer only).
import { dashboardRoute, readJson } from "@/lib/http/dashboard-api";
import { createEndpointSchema } from "@/lib/webhooks/endpoint-input.schema";
import { createEndpoint, listEndpoints } from "@/lib/webhooks/endpoints";
import { noStore, webhookContext } from "@/lib/webhooks/http";

export const GET = dashboardRoute(async (_req, ctx) => {
  const { db, actor, policy } = await webhookContext(ctx);
  return Response.json({ endpoints: await listEndpoints(db, actor), allow_private: policy.allowPrivate }, { headers: noStore });
});

export const POST = dashboardRoute(async (req, ctx) => {
  const { db, actor, policy } = await webhookContext(ctx);
  const input = await readJson(req, createEndpointSchema);
  return Response.json(await createEndpoint(db, actor, input, policy), { status: 201, headers: noStore });
});
