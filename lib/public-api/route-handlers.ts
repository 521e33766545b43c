import "server-only";
import { methodNotAllowed, optionsAnswer } from "@/lib/http/envelope";
import { PUBLIC_METHODS, type PublicEndpoint } from "./endpoint";
import { withApiKey, withoutKey } from "./with-api-key";

// `req` is optional in the type only because a 405 reads nothing; Next always passes it.
type RouteHandler = (req?: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The methods a route file exports: the declared ones, and 405 with `Allow` for the rest. */
export interface PublicRouteExports {
  GET: RouteHandler;
  POST: RouteHandler;
  PUT: RouteHandler;
  PATCH: RouteHandler;
  DELETE: RouteHandler;
  OPTIONS: RouteHandler;
}

/**
 * A route file's exports from the endpoints declared on its path:
 * `export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlers(startAudit, latestAudit);`
 * Next answers HEAD with the GET handler (no body, and no quota spent: see withApiKey).
 */
export function routeHandlers(...endpoints: PublicEndpoint[]): PublicRouteExports {
  const paths = new Set(endpoints.map((e) => e.path));
  if (paths.size !== 1) throw new Error(`routeHandlers: one path per route file, got ${[...paths].join(", ")}`);
  const allow = PUBLIC_METHODS.filter((m) => endpoints.some((e) => e.method === m));
  const refuse = methodNotAllowed(allow);
  const serve = (method: string): RouteHandler => {
    const e = endpoints.find((x) => x.method === method);
    if (!e) return refuse;
    const run = e.auth.kind === "key" ? withApiKey(e as PublicEndpoint & { auth: { kind: "key" } }) : withoutKey(e);
    return async (req, ctx) => run(req!, (await ctx?.params) ?? {});
  };
  return { GET: serve("GET"), POST: serve("POST"), PUT: refuse, PATCH: serve("PATCH"), DELETE: refuse, OPTIONS: optionsAnswer(allow) };
}
