// POST /api/keys/{keyId}/enable with body {} (JSON: see lib/http/same-origin.ts)
import { actorOf, keyIdOf } from "@/lib/keys/actor";
import { setKeyEnabled } from "@/lib/keys/lifecycle";
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { emptyBodySchema, readJsonBody } from "@/lib/http/read-input";

export const POST = dashboardRoute<{ keyId: string }>(async (req, ctx, params) => {
  await readJsonBody(req, emptyBodySchema);
  return Response.json({ key: await setKeyEnabled(actorOf(ctx), keyIdOf(params), true) });
});
