// POST /api/keys/{keyId}/disable
import { actorOf, keyIdOf } from "@/lib/keys/actor";
import { setKeyEnabled } from "@/lib/keys/lifecycle";
import { dashboardRoute } from "@/lib/http/dashboard-api";

export const POST = dashboardRoute<{ keyId: string }>(async (_req, ctx, params) => {
  return Response.json({ key: await setKeyEnabled(actorOf(ctx), keyIdOf(params), false) });
});
