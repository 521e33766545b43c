// GET /api/public/ping, declared in lib/public-api/endpoints/ping.ts.
import { ping } from "@/lib/public-api/endpoints";
import { routeHandlers } from "@/lib/public-api/route-handlers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(ping);
