// POST /api/webhooks/replay {since, endpoint_id?}: every failed delivery since then, again.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readJsonBody } from "@/lib/http/read-input";
import { replayFailedSince } from "@/lib/webhooks/deliveries";
import { replaySchema } from "@/lib/webhooks/endpoint-input.schema";
import { webhookContext } from "@/lib/webhooks/http";

export const POST = dashboardRoute(async (req, ctx) => {
  const { db, actor } = await webhookContext(ctx);
  const { since, endpoint_id } = await readJsonBody(req, replaySchema);
  return Response.json({ queued: await replayFailedSince(db, actor, new Date(since), endpoint_id) }, { status: 202 });
});
