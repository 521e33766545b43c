// GET /api/public/audit/{audit_id}: one audit's status and, once completed, its result. Not metered.
import { getAudit } from "@/lib/presence-audit/service";
import { methodNotAllowed, withApiKey } from "@/lib/public-api/with-api-key";

interface AuditRouteContext {
  params: Promise<{ auditId: string }>;
}

// withApiKey's handler sees only the request, so the wrapper is made per call around the id
// Next has already decoded from the path.
export async function GET(req: Request, { params }: AuditRouteContext): Promise<Response> {
  const { auditId } = await params;
  return withApiKey(
    async ({ call, db }) => {
      const view = await getAudit(db, call.team_id!, auditId);
      return { body: view, summary: { business_id: view.result?.business_id ?? null, score: view.result?.score ?? null } };
    },
    { scope: "audit:read", metered: false, endpoint: "/api/public/audit/{audit_id}" },
  )(req);
}

export const POST = methodNotAllowed(["GET"]);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
