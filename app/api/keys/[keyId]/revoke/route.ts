// POST /api/keys/{keyId}/revoke
import { actorOf, keyIdOf } from "@/lib/keys/actor";
import { revokeKey } from "@/lib/keys/lifecycle";
import { dashboardRoute } from "@/lib/http/dashboard-api";

export const POST = dashboardRoute<{ keyId: string }>(async (_req, ctx, params) => {
  return Response.json({ key: await revokeKey(actorOf(ctx), keyIdOf(params)) });
});
