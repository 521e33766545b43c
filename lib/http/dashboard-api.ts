import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getCurrentUser, requestIp } from "@/lib/auth/session";
import { readBodyCapped } from "./read-body";
import { AppError, fromDatabaseError } from "@/lib/errors";
import { loadTeamContext, type TeamContext } from "@/lib/teams/teams";

export interface DashboardRequestContext extends TeamContext {
  ip: string;
  requestId: string;
}

const MAX_JSON_BYTES = 64 * 1024;

export function errorResponse(err: AppError, requestId: string, headers?: HeadersInit): Response {
  const body: { error: { code: string; message: string; request_id: string; details?: unknown } } = {
    error: { code: err.code, message: err.message, request_id: requestId },
  };
  if (err.details?.length) body.error.details = err.details;
  return Response.json(body, { status: err.status, headers: { "x-request-id": requestId, ...headers } });
}

export function zodToAppError(error: z.ZodError): AppError {
  return new AppError(
    "invalid_request",
    "Some fields are not valid.",
    error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
  );
}

/** Reads a JSON body with a size cap; a bad body is a 4xx, never a 500. */
export async function readJson<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  const text = await readBodyCapped(req, MAX_JSON_BYTES);
  if (text === null) throw new AppError("payload_too_large", "The body is larger than 64 KiB.");
  let data: unknown;
  try {
    data = text.length ? JSON.parse(text) : {};
  } catch {
    throw new AppError("invalid_request", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw zodToAppError(parsed.error);
  return parsed.data;
}

/**
 * Session-authenticated JSON routes the dashboard calls: resolve the user and current team,
 * run the handler, and map every failure to the standard envelope.
 */
export function dashboardRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (req: Request, ctx: DashboardRequestContext, params: P) => Promise<Response>,
) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const user = await getCurrentUser();
      if (!user) throw new AppError("unauthorized", "Sign in first.");
      const team = await loadTeamContext(user);
      const res = await handler(req, { ...team, ip: await requestIp(), requestId }, await route.params);
      res.headers.set("x-request-id", requestId);
      return res;
    } catch (err) {
      if (err instanceof AppError) return errorResponse(err, requestId);
      if (err instanceof z.ZodError) return errorResponse(zodToAppError(err), requestId);
      const mapped = fromDatabaseError(err);
      if (mapped) return errorResponse(mapped, requestId);
      console.error(`[${requestId}] dashboard route failed:`, (err as Error)?.message ?? "unknown error");
      return errorResponse(new AppError("internal_error", "Something went wrong on our side."), requestId);
    }
  };
}
