// GET /auth/callback?code=&next=: Supabase mode's email-confirmation and magic-link landing.
// Exchanges the one-time code for a session cookie, then goes on to a relative path only.
import { NextResponse } from "next/server";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { deploymentMode } from "@/lib/env";

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const next = safeRedirectPath(url.searchParams.get("next"));
  const code = url.searchParams.get("code");
  if (deploymentMode() !== "supabase" || !code) return NextResponse.redirect(new URL("/sign-in", url.origin));
  const { supabaseForRequest } = await import("@/lib/auth/supabase-server");
  const supabase = await supabaseForRequest();
  const { error } = await supabase.auth.exchangeCodeForSession(code);
  return NextResponse.redirect(new URL(error ? "/sign-in" : next, url.origin));
}
