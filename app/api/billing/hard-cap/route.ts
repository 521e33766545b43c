// POST /api/billing/hard-cap {cap: null | integer >= 0}: the owner's monthly overage cap.
import { z } from "zod";
import { setHardCap } from "@/lib/billing/overview";
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readJsonBody } from "@/lib/http/read-input";

const body = z.object({ cap: z.number().int().min(0).max(100_000_000).nullable() });

export const POST = dashboardRoute(async (req, ctx) => {
  const { cap } = await readJsonBody(req, body);
  await setHardCap(ctx.user.id, ctx.team.id, cap);
  return Response.json({ cap });
});
