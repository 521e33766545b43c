// GET /api/public/ping: tells a client whether its key works and how much quota is left.
import { methodNotAllowed, withApiKey } from "@/lib/public-api/with-api-key";
import { pingBody } from "@/lib/public-api/ping";

export const GET = withApiKey(async ({ call }) => ({ body: pingBody(call) }), { scope: "ping", metered: false });
export const POST = methodNotAllowed(["GET"]);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
