// /api/public/* that matches no endpoint: the contract's envelope rather than Next's HTML 404.
import { randomUUID } from "node:crypto";
import { errorResponse } from "@/lib/public-api/with-api-key";
import { PublicApiError } from "@/lib/public-api/errors";

async function notFound(): Promise<Response> {
  return errorResponse(
    new PublicApiError("not_found", "There is no such endpoint. The endpoints are listed at /api/public/openapi.json."),
    randomUUID(),
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
