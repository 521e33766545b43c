// GET, PUT {percents} /api/webhooks/thresholds: quota thresholds beside the built-in 80 and 100.
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readJsonBody } from "@/lib/http/read-input";
import { thresholdsSchema } from "@/lib/webhooks/endpoint-input.schema";
import { listThresholds, setThresholds } from "@/lib/webhooks/endpoints";
import { webhookContext } from "@/lib/webhooks/http";

export const GET = dashboardRoute(async (_req, ctx) => {
  const { db, actor } = await webhookContext(ctx);
  return Response.json({ builtin: [80, 100], percents: await listThresholds(db, actor) });
});

export const PUT = dashboardRoute(async (req, ctx) => {
  const { db, actor } = await webhookContext(ctx);
  const { percents } = await readJsonBody(req, thresholdsSchema);
  return Response.json({ builtin: [80, 100], percents: await setThresholds(db, actor, percents) });
});
