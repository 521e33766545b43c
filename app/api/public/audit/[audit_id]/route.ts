// GET /api/public/audit/{audit_id}, declared in lib/public-api/endpoints/audit.ts.
import { auditStatus } from "@/lib/public-api/endpoints";
import { routeHandlers } from "@/lib/public-api/route-handlers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(auditStatus);
