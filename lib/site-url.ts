// Relative, not "@/lib/env": next.config.ts imports this file, and it resolves no path aliases.
import { env, type Env } from "./env";

/**
 * The portal's one public origin: APP_URL's origin when set, else http://localhost:PORT (fine in
 * development; set APP_URL behind a proxy or in Supabase mode). Never derived from a request's
 * Host header, which a client chooses.
 */
export function siteOrigin(e: Env = env()): string {
  return e.APP_URL ? new URL(e.APP_URL).origin : `http://localhost:${e.PORT}`;
}

/**
 * `/invite/abc` → `https://portal.example.com/invite/abc`. Only site-relative paths are
 * accepted: a path starting with `//` or a scheme would point at another host, so it throws a
 * RangeError instead.
 */
export function absoluteUrl(path: string, e: Env = env()): string {
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) {
    throw new RangeError(`absoluteUrl needs a site-relative path starting with "/", got ${JSON.stringify(path.slice(0, 60))}`);
  }
  return new URL(path, siteOrigin(e)).toString();
}
