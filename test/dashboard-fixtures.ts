import { createSession } from "@/lib/auth/builtin";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { siteOrigin } from "@/lib/site-url";
import { inRequestScope } from "./next-request-scope";

/**
 * Calling the dashboard's route handlers in-process as a browser would: a real built-in session
 * (auth.llavero_sessions row, cookie) and, for writes, the portal's Origin and a JSON body.
 * Needs `vi.mock("next/headers", () => import("../next-request-scope"))` in the test file.
 */

/** A session cookie value for the user, made by the built-in provider. */
export async function sessionFor(userId: string): Promise<string> {
  return (await createSession(userId)).token;
}

export interface DashboardRequestOptions {
  method?: string;
  /** Session token (cookie); none = anonymous. */
  session?: string | null;
  body?: unknown;
  rawBody?: string;
  /** Content-Type; default application/json when there is a body; null = none. */
  contentType?: string | null;
  /** Origin header; default the site's origin for non-GET requests; null = none. */
  origin?: string | null;
  fetchSite?: string;
  headers?: Record<string, string>;
}

export function dashboardRequest(path: string, o: DashboardRequestOptions = {}): Request {
  const method = o.method ?? (o.body !== undefined || o.rawBody !== undefined ? "POST" : "GET");
  const h = new Headers({ "x-llavero-socket-ip": "127.0.0.1", "user-agent": "vitest", ...o.headers });
  if (o.session) h.set("cookie", `${SESSION_COOKIE}=${o.session}`);
  const origin = o.origin === undefined ? (method === "GET" ? null : siteOrigin()) : o.origin;
  if (origin !== null) h.set("origin", origin);
  if (o.fetchSite) h.set("sec-fetch-site", o.fetchSite);
  const hasBody = o.body !== undefined || o.rawBody !== undefined;
  const ct = o.contentType === undefined ? (hasBody ? "application/json" : null) : o.contentType;
  if (ct !== null) h.set("content-type", ct);
  return new Request(new URL(path, siteOrigin()), {
    method,
    headers: h,
    body: hasBody && method !== "GET" && method !== "HEAD" ? (o.rawBody ?? JSON.stringify(o.body)) : undefined,
  });
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler the way Next would, with next/headers answering from `req`. */
export function callRoute(handler: unknown, req: Request, params: Record<string, string> = {}): Promise<Response> {
  return inRequestScope(req.headers, () => (handler as Handler)(req, { params: Promise.resolve(params) }));
}
