// GET /api/webhooks/deliveries?endpoint_id&status&event_type&limit: the team's delivery log.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readQuery } from "@/lib/http/read-input";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { deliveryFilterSchema } from "@/lib/webhooks/endpoint-input.schema";
import { webhookContext } from "@/lib/webhooks/http";

export const GET = dashboardRoute(async (req, ctx) => {
  const { db, actor } = await webhookContext(ctx);
  const filter = readQuery(req, deliveryFilterSchema);
  return Response.json({ deliveries: await listDeliveries(db, actor, filter) });
});
