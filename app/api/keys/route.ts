// GET /api/keys (list), POST /api/keys (create): the dashboard's key list and create dialog.
import { actorOf } from "@/lib/keys/actor";
import { createKeyInputSchema } from "@/lib/keys/key-input.schema";
import { createKey, listKeys } from "@/lib/keys/lifecycle";
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readJsonBody } from "@/lib/http/read-input";

export const GET = dashboardRoute(async (req, ctx) => {
  const includeRevoked = new URL(req.url).searchParams.get("include_revoked") === "1";
  return Response.json(await listKeys(actorOf(ctx), { includeRevoked }));
});

export const POST = dashboardRoute(async (req, ctx) => {
  const input = await readJsonBody(req, createKeyInputSchema, { emptyAsObject: true });
  const { secret, key } = await createKey(actorOf(ctx), input);
  return Response.json({ secret, key }, { status: 201, headers: { "cache-control": "no-store" } });
});
