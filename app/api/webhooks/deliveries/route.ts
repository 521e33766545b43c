// GET /api/webhooks/deliveries?endpoint_id&status&event_type&limit: the team's delivery log.
import { dashboardRoute, zodToAppError } from "@/lib/http/dashboard-api";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { deliveryFilterSchema } from "@/lib/webhooks/endpoint-input.schema";
import { noStore, webhookContext } from "@/lib/webhooks/http";

export const GET = dashboardRoute(async (req, ctx) => {
  const { db, actor } = await webhookContext(ctx);
  const parsed = deliveryFilterSchema.safeParse(Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== "")));
  if (!parsed.success) throw zodToAppError(parsed.error);
  return Response.json({ deliveries: await listDeliveries(db, actor, parsed.data) }, { headers: noStore });
});
