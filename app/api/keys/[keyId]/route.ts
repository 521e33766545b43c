// PATCH /api/keys/{keyId}: rename or change settings.
import { actorOf, keyIdOf } from "@/lib/keys/actor";
import { updateKeyInputSchema } from "@/lib/keys/key-input.schema";
import { updateKey } from "@/lib/keys/lifecycle";
import { dashboardRoute, readJson } from "@/lib/http/dashboard-api";

export const PATCH = dashboardRoute<{ keyId: string }>(async (req, ctx, params) => {
  const keyId = keyIdOf(params);
  const input = await readJson(req, updateKeyInputSchema);
  return Response.json({ key: await updateKey(actorOf(ctx), keyId, input) });
});
