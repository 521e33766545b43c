import { enableKeyEndpoint } from "@/lib/public-api/endpoints";
import { routeHandlers } from "@/lib/public-api/route-handlers";
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(enableKeyEndpoint);
