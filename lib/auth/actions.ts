"use server";

import { redirect } from "next/navigation";
import { AuthError, clearFirstKeyCookie, requestIp, setFirstKeyCookie, signIn, signOut, signUp } from "@/lib/auth/session";
import { completeSignUp } from "@/lib/auth/sign-up";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { fieldErrorsOf } from "@/lib/actions/action";
import { credentialsSchema, signInSchema } from "@/lib/schemas/auth.schema";

export interface AuthFormState {
  message?: string;
  fieldErrors?: Record<string, string>;
  email?: string;
  /** Sign-up: whether "Create my first API key" was ticked, kept when the form comes back with an error. */
  firstKey?: boolean;
}

function formFields(form: FormData) {
  return { email: form.get("email"), password: form.get("password"), next: form.get("next") ?? undefined };
}

export async function signUpAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = credentialsSchema.safeParse(formFields(form));
  const email = String(form.get("email") ?? "");
  const firstKey = form.get("first_key") === "on";
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), email, firstKey };
  let joined = false;
  try {
    const user = await signUp(parsed.data.email, parsed.data.password);
    const { reveal, joinedTeamId } = await completeSignUp(user, { next: parsed.data.next, firstKey, ip: await requestIp() });
    // The secret itself never leaves the server here: the cookie holds only the key that opens it, once.
    if (reveal) await setFirstKeyCookie(reveal.token, reveal.expiresAt);
    // Joined through the invitation: its page would only say the link is used.
    joined = joinedTeamId !== null;
  } catch (err) {
    if (err instanceof AuthError) return { message: err.message, email, firstKey };
    throw err;
  }
  redirect(joined ? "/team" : safeRedirectPath(parsed.data.next));
}

export async function signInAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = signInSchema.safeParse(formFields(form));
  const email = String(form.get("email") ?? "");
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), email };
  try {
    await signIn(parsed.data.email, parsed.data.password);
  } catch (err) {
    if (err instanceof AuthError) return { message: err.message, email };
    throw err;
  }
  redirect(safeRedirectPath(parsed.data.next));
}

/** After the first key's secret was shown (and closed): the reveal cookie is no use any more. */
export async function dismissFirstKeyAction(): Promise<void> {
  await clearFirstKeyCookie();
}

export async function signOutAction(): Promise<void> {
  await signOut();
  redirect("/sign-in");
}
