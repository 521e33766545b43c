import { NextResponse, type NextRequest } from "next/server";

/**
 * Supabase mode only: refreshes the auth session on every page request, as @supabase/ssr
 * requires, so Server Components see a valid session. Built-in auth needs nothing here.
 */
export async function proxy(request: NextRequest) {
  const url = process.env.NEXT_PUBLIC_SUPABASE_URL;
  const key = process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY;
  if (!url || !key || !process.env.DATABASE_URL) return NextResponse.next({ request });

  // Imported only in Supabase mode: supabase-js warns on Node 20 at import time.
  const { createServerClient } = await import("@supabase/ssr");
  let response = NextResponse.next({ request });
  const supabase = createServerClient(url, key, {
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll(toSet) {
        for (const { name, value } of toSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of toSet) response.cookies.set(name, value, options);
      },
    },
  });
  // getUser() revalidates the token with Supabase Auth and rotates it when needed.
  await supabase.auth.getUser();
  return response;
}

export const config = {
  // Pages only. Route handlers under /api set refreshed cookies themselves (the public API
  // authenticates with keys), and every request through the proxy costs about a quarter of a
  // millisecond of CPU (docs/performance.md).
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
