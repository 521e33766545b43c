// GET and POST /api/public/audit, declared in lib/public-api/endpoints/audit.ts.
import { latestAudit, startAudit } from "@/lib/public-api/endpoints";
import { routeHandlers } from "@/lib/public-api/route-handlers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(latestAudit, startAudit);
