// GET /api/keys/{keyId}/calls?status=&endpoint=&from=&to=&cursor=&limit=: one page of call history.
import { keyIdOf } from "@/lib/keys/actor";
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { jsonWithEtag } from "@/lib/http/etag";
import { readQuery } from "@/lib/http/read-input";
import { callHistory } from "@/lib/usage/queries";
import { historyQuerySchema } from "@/lib/usage/usage.schema";

export const GET = dashboardRoute<{ keyId: string }>(async (req, ctx, params) => {
  const keyId = keyIdOf(params);
  const q = readQuery(req, historyQuerySchema);
  // The newest page is polled: unchanged, it is a 304 with no body (lib/http/etag.ts).
  return jsonWithEtag(req, await callHistory({ userId: ctx.user.id, teamId: ctx.team.id }, keyId, q));
});
