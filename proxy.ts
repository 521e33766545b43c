import { NextResponse, type NextRequest } from "next/server";
import { stripeRedirectOrigins } from "./lib/billing/redirect-origins";
import { env } from "./lib/env";
import { REQUEST_PATH_HEADER } from "./lib/auth/request-path";
import { newNonce, pageCsp } from "./lib/security/csp";

/**
 * Pages only (see the matcher). Two jobs:
 * - a fresh CSP nonce per page response (form-action also lists Stripe's Checkout and portal
 *   origins when billing is on): Next.js reads it from the request's
 *   Content-Security-Policy header and stamps it on its scripts, and the browser gets the same
 *   policy on the response;
 * - Supabase mode: refreshes the auth session, as @supabase/ssr requires, so Server Components
 *   see a valid session. Built-in auth needs nothing here.
 */
export async function proxy(request: NextRequest) {
  const csp = pageCsp({
    nonce: newNonce(),
    dev: process.env.NODE_ENV === "development",
    supabaseUrl: process.env.NEXT_PUBLIC_SUPABASE_URL || undefined,
    https: request.headers.get("x-forwarded-proto") === "https",
    // Upgrade and Manage billing are form POSTs answered with a 303 to Stripe.
    formActionOrigins: stripeRedirectOrigins(env()),
  });
  const forward = () => {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    // The page asked for, so a signed-out visit can come back to it after sign-in
    // (lib/auth/require.ts). Set here, never trusted from the client: any incoming value is replaced.
    headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
    return NextResponse.next({ request: { headers } });
  };
  let response = forward();

  const url = process.env.NEXT_PUBLIC_SUPABASE_URL;
  const key = process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY;
  if (url && key && process.env.DATABASE_URL) {
    // Imported only in Supabase mode: supabase-js warns on Node 20 at import time.
    const { createServerClient } = await import("@supabase/ssr");
    const supabase = createServerClient(url, key, {
      cookies: {
        getAll: () => request.cookies.getAll(),
        setAll(toSet) {
          for (const { name, value } of toSet) request.cookies.set(name, value);
          response = forward();
          for (const { name, value, options } of toSet) response.cookies.set(name, value, options);
        },
      },
    });
    // getUser() revalidates the token with Supabase Auth and rotates it when needed.
    await supabase.auth.getUser();
  }
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Pages only. Route handlers under /api get their static headers from next.config.ts (the
  // public API authenticates with keys, and every request through the proxy costs about a
  // quarter of a millisecond of CPU, docs/performance.md); public files need no CSP.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|icon-|apple-touch-icon|robots.txt|site.webmanifest).*)"],
};
