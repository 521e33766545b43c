// GET /auth/callback?code=&next=: Supabase mode's email-confirmation and magic-link landing.
// Exchanges the one-time code for a session cookie, then goes on to a relative path only.
import { NextResponse } from "next/server";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { deploymentMode } from "@/lib/env";
import { absoluteUrl } from "@/lib/site-url";

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const next = safeRedirectPath(url.searchParams.get("next"));
  const code = url.searchParams.get("code");
  // Redirects go to the configured site (APP_URL), never to the origin Next reconstructs, which
  // is localhost behind a proxy.
  if (deploymentMode() !== "supabase" || !code) return NextResponse.redirect(absoluteUrl("/sign-in"));
  const { supabaseForRequest } = await import("@/lib/auth/supabase-server");
  const supabase = await supabaseForRequest();
  const { error } = await supabase.auth.exchangeCodeForSession(code);
  return NextResponse.redirect(absoluteUrl(error ? "/sign-in" : next));
}
