// POST /api/webhooks/deliveries/{deliveryId}/resend: sends the message again, same webhook-id.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { resendDelivery } from "@/lib/webhooks/deliveries";
import { deliveryIdOf, webhookContext } from "@/lib/webhooks/http";

export const POST = dashboardRoute<{ deliveryId: string }>(async (_req, ctx, params) => {
  const { db, actor } = await webhookContext(ctx);
  await resendDelivery(db, actor, deliveryIdOf(params));
  return Response.json({ queued: 1 }, { status: 202 });
});
