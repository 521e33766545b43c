// GET /api/public/openapi.json, declared in lib/public-api/endpoints/index.ts.
import { openApiJson } from "@/lib/public-api/endpoints";
import { routeHandlers } from "@/lib/public-api/route-handlers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(openApiJson);
