// GET /api/public/audit?business_id=… (latest audit, re-rendered) and POST /api/public/audit (queue one).
import { auditInputSchema, auditQuerySchema } from "@/lib/presence-audit/audit-input.schema";
import { latestAuditFor, queueAudit } from "@/lib/presence-audit/service";
import { methodNotAllowed, withApiKey } from "@/lib/public-api/with-api-key";

export const GET = withApiKey(
  async ({ query, call, db }) => {
    const q = query(auditQuerySchema);
    const result = await latestAuditFor(db, call.team_id!, q.business_id, q.lang, q.currency);
    return { body: result, summary: { business_id: result.business_id, score: result.score } };
  },
  { scope: "audit:read", metered: true },
);

export const POST = withApiKey(
  async ({ json, call, db }) => {
    const input = await json(auditInputSchema);
    const queued = await queueAudit(db, { teamId: call.team_id!, keyId: call.key_id, input });
    return { status: 202, body: queued, summary: { business_id: input.business.id, audit_id: queued.audit_id } };
  },
  { scope: "audit:write", metered: true },
);

export const PUT = methodNotAllowed(["GET", "POST"]);
export const PATCH = PUT;
export const DELETE = PUT;
