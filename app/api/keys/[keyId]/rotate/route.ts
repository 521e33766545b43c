// POST /api/keys/{keyId}/rotate with {grace: "none"|"1h"|"24h"|"7d"}: the new key is in the answer, once.
import { actorOf, keyIdOf } from "@/lib/keys/actor";
import { rotateKeyInputSchema } from "@/lib/keys/key-view.schema";
import { rotateKey } from "@/lib/keys/lifecycle";
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readJsonBody } from "@/lib/http/read-input";

export const POST = dashboardRoute<{ keyId: string }>(async (req, ctx, params) => {
  const keyId = keyIdOf(params);
  const { grace } = await readJsonBody(req, rotateKeyInputSchema, { emptyAsObject: true });
  const result = await rotateKey(actorOf(ctx), keyId, grace);
  return Response.json(result, { status: 201, headers: { "cache-control": "no-store" } });
});
