import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { deploymentMode, env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { AuthError, createSession, createUser, deleteSession, userForSession, verifyCredentials, type SessionUser } from "./builtin";

/**
 * One interface, two providers: Supabase Auth in Supabase mode, the built-in email + password
 * provider otherwise. Callers never ask which.
 */

export const SESSION_COOKIE = "llavero_session";
export type { SessionUser };
export { AuthError };

const usesSupabase = () => deploymentMode() === "supabase";

// Loaded only in Supabase mode: supabase-js warns on Node 20 at import time, and the other modes
// never need it.
async function supabaseForRequest() {
  const { supabaseForRequest: make } = await import("./supabase-server");
  return make();
}

export async function requestIp(): Promise<string> {
  return clientIp(await headers(), env().TRUST_PROXY);
}

async function secureCookies(): Promise<boolean> {
  const h = await headers();
  const host = (h.get("host") ?? "").replace(/:\d+$/, "");
  if (h.get("x-forwarded-proto") === "https") return true;
  return !["localhost", "127.0.0.1", "[::1]"].includes(host);
}

async function setSessionCookie(token: string, expires: Date) {
  const store = await cookies();
  store.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await secureCookies(),
    path: "/",
    expires,
  });
}

/** Holds a first key's one-time reveal token (lib/keys/first-key.ts) until the first dashboard view. */
export const FIRST_KEY_COOKIE = "llavero_first_key";

/** httpOnly, same-site, expiring with the reveal: only the server reads it, and only once. */
export async function setFirstKeyCookie(token: string, expires: Date): Promise<void> {
  (await cookies()).set(FIRST_KEY_COOKIE, token, { httpOnly: true, sameSite: "strict", secure: await secureCookies(), path: "/", expires });
}

export async function readFirstKeyCookie(): Promise<string | null> {
  return (await cookies()).get(FIRST_KEY_COOKIE)?.value ?? null;
}

/** Server actions and route handlers only (a page render cannot change cookies). */
export async function clearFirstKeyCookie(): Promise<void> {
  (await cookies()).delete(FIRST_KEY_COOKIE);
}

/** The signed-in user of this request, or null. Cached per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  if (usesSupabase()) {
    const supabase = await supabaseForRequest();
    const { data } = await supabase.auth.getUser();
    return data.user?.email ? { id: data.user.id, email: data.user.email } : null;
  }
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? userForSession(token) : null;
});

export async function signUp(email: string, password: string): Promise<SessionUser> {
  if (usesSupabase()) {
    const supabase = await supabaseForRequest();
    const { data, error } = await supabase.auth.signUp({ email, password });
    if (error || !data.user) throw new AuthError("email_taken", error?.message ?? "Could not sign up.");
    // With email confirmation on (Supabase's default), there is no session until the link is followed.
    if (!data.session) {
      throw new AuthError("confirmation_required", "Check your email and follow the link to confirm your account, then sign in.");
    }
    return { id: data.user.id, email };
  }
  const user = await createUser(email, password, { ip: await requestIp(), limitPerHour: env().SIGN_UP_LIMIT_PER_IP_PER_HOUR });
  const session = await createSession(user.id);
  await setSessionCookie(session.token, session.expiresAt);
  return user;
}

export async function signIn(email: string, password: string): Promise<SessionUser> {
  if (usesSupabase()) {
    const supabase = await supabaseForRequest();
    const { data, error } = await supabase.auth.signInWithPassword({ email, password });
    if (error || !data.user?.email) throw new AuthError("invalid_credentials", "That email and password do not match an account.");
    return { id: data.user.id, email: data.user.email };
  }
  const user = await verifyCredentials(email, password, await requestIp());
  const session = await createSession(user.id);
  await setSessionCookie(session.token, session.expiresAt);
  return user;
}

export async function signOut(): Promise<void> {
  if (usesSupabase()) {
    await (await supabaseForRequest()).auth.signOut();
    return;
  }
  const store = await cookies();
  const token = store.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(token);
  store.delete(SESSION_COOKIE);
  store.delete(FIRST_KEY_COOKIE);
}
