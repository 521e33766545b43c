// POST /api/webhooks/deliveries/{deliveryId}/resend: sends the message again, same webhook-id.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { emptyBodySchema, readJsonBody } from "@/lib/http/read-input";
import { resendDelivery } from "@/lib/webhooks/deliveries";
import { deliveryIdOf, webhookContext } from "@/lib/webhooks/http";

export const POST = dashboardRoute<{ deliveryId: string }>(async (req, ctx, params) => {
  await readJsonBody(req, emptyBodySchema);
  const { db, actor } = await webhookContext(ctx);
  await resendDelivery(db, actor, deliveryIdOf(params));
  return Response.json({ queued: 1 }, { status: 202 });
});
