// GET /api/public/subscription, declared in lib/public-api/endpoints/billing.ts.
import { subscription } from "@/lib/public-api/endpoints";
import { routeHandlers } from "@/lib/public-api/route-handlers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(subscription);
