// /api/public/* that matches no endpoint: the contract's envelope rather than Next's HTML 404,
// for every method (OPTIONS included, so Next never answers here without a request id).
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/envelope";
import { requestIdOf } from "@/lib/http/request-id";

async function notFound(req?: Request): Promise<Response> {
  return errorResponse(
    new AppError("not_found", "There is no such endpoint. The endpoints are listed at /api/public/openapi.json."),
    requestIdOf(req),
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
