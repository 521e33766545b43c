// GET /api/public/openapi.json: the OpenAPI 3.1 document of the public API; needs no key.
import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { openApiDocument } from "@/lib/public-api/openapi";
import { methodNotAllowed } from "@/lib/public-api/with-api-key";

export async function GET(req: Request): Promise<Response> {
  // APP_URL names the public origin behind a proxy; otherwise the origin this request reached.
  const server = env().APP_URL ?? new URL(req.url).origin;
  return new Response(JSON.stringify(openApiDocument(server)), {
    status: 200,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "public, max-age=300",
      "x-request-id": randomUUID(),
    },
  });
}
export const POST = methodNotAllowed(["GET"]);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
