// POST /api/public/validate, declared in lib/public-api/endpoints/validate.ts.
import { validate } from "@/lib/public-api/endpoints";
import { routeHandlers } from "@/lib/public-api/route-handlers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(validate);
