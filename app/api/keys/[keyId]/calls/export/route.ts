// GET /api/keys/{keyId}/calls/export?status=&endpoint=&from=&to=: the filtered history as CSV, streamed.
import { keyIdOf } from "@/lib/keys/actor";
import { dashboardRoute } from "@/lib/http/dashboard-api";
import { readQuery } from "@/lib/http/read-input";
import { exportCallsCsv, exportFileName, keyNameOf } from "@/lib/usage/export";
import { callHistory } from "@/lib/usage/queries";
import { historyQuerySchema } from "@/lib/usage/usage.schema";

export const GET = dashboardRoute<{ keyId: string }>(async (req, ctx, params) => {
  const keyId = keyIdOf(params);
  const { cursor: _c, limit: _l, ...filters } = readQuery(req, historyQuerySchema);
  const viewer = { userId: ctx.user.id, teamId: ctx.team.id };
  // Checks visibility (404 for a key that is not yours) before the response starts streaming.
  await callHistory(viewer, keyId, { ...filters, limit: 1 });
  const name = exportFileName((await keyNameOf(viewer, keyId)) ?? "key");
  return new Response(exportCallsCsv(viewer, keyId, filters), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
});
