"use server";

import { redirect } from "next/navigation";
import { AuthError, signIn, signOut, signUp } from "@/lib/auth/session";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { fieldErrorsOf } from "@/lib/actions/action";
import { credentialsSchema, signInSchema } from "@/lib/schemas/auth.schema";
import { ensureUserBootstrapped } from "@/lib/teams/teams";

export interface AuthFormState {
  message?: string;
  fieldErrors?: Record<string, string>;
  email?: string;
}

function formFields(form: FormData) {
  return { email: form.get("email"), password: form.get("password"), next: form.get("next") ?? undefined };
}

export async function signUpAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = credentialsSchema.safeParse(formFields(form));
  const email = String(form.get("email") ?? "");
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), email };
  try {
    const user = await signUp(parsed.data.email, parsed.data.password);
    await ensureUserBootstrapped(user);
  } catch (err) {
    if (err instanceof AuthError) return { message: err.message, email };
    throw err;
  }
  redirect(safeRedirectPath(parsed.data.next));
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

export async function signOutAction(): Promise<void> {
  await signOut();
  redirect("/sign-in");
}
