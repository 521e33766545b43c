// POST /api/public/license, declared in lib/public-api/endpoints/billing.ts.
import { license } from "@/lib/public-api/endpoints";
import { routeHandlers } from "@/lib/public-api/route-handlers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(license);
