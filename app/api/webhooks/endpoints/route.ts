// GET /api/webhooks/endpoints (list, with whether private addresses are allowed), POST (create:
// the secret is in this answer only).
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readJsonBody } from "@/lib/http/read-input";
import { createEndpointSchema } from "@/lib/webhooks/endpoint-input.schema";
import { createEndpoint, listEndpoints } from "@/lib/webhooks/endpoints";
import { webhookContext } from "@/lib/webhooks/http";

export const GET = dashboardRoute(async (_req, ctx) => {
  const { db, actor, policy } = await webhookContext(ctx);
  return Response.json({ endpoints: await listEndpoints(db, actor), allow_private: policy.allowPrivate });
});

export const POST = dashboardRoute(async (req, ctx) => {
  const { db, actor, policy } = await webhookContext(ctx);
  const input = await readJsonBody(req, createEndpointSchema);
  return Response.json(await createEndpoint(db, actor, input, policy), { status: 201 });
});
