// /api/public/* that matches no endpoint: the contract's envelope rather than Next's HTML 404.
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/envelope";

async function notFound(): Promise<Response> {
  return errorResponse(
    new AppError("not_found", "There is no such endpoint. The endpoints are listed at /api/public/openapi.json."),
    randomUUID(),
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
