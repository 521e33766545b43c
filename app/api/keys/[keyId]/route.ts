// PATCH /api/keys/{keyId}: rename or change settings.
import { actorOf, keyIdOf } from "@/lib/keys/actor";
import { updateKeyInputSchema } from "@/lib/keys/key-input.schema";
import { updateKey } from "@/lib/keys/lifecycle";
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readJsonBody } from "@/lib/http/read-input";

export const PATCH = dashboardRoute<{ keyId: string }>(async (req, ctx, params) => {
  const keyId = keyIdOf(params);
  const input = await readJsonBody(req, updateKeyInputSchema, { emptyAsObject: true });
  return Response.json({ key: await updateKey(actorOf(ctx), keyId, input) });
});
