"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { CheckboxField, TextField } from "@/components/ui/field";
import type { AuthFormState } from "@/lib/auth/actions";

interface AuthFormProps {
  mode: "sign-in" | "sign-up";
  action: (prev: AuthFormState, form: FormData) => Promise<AuthFormState>;
  next?: string;
  defaultEmail?: string;
  /** Sign-up only: offer "Create my first API key" (not when the account joins an inviting team, which holds the keys). */
  offerFirstKey?: boolean;
}

export function AuthForm({ mode, action, next, defaultEmail, offerFirstKey = true }: AuthFormProps) {
  const [state, formAction, pending] = useActionState(action, { email: defaultEmail });
  const signUp = mode === "sign-up";
  const other = signUp ? "/sign-in" : "/sign-up";
  const otherHref = next ? `${other}?next=${encodeURIComponent(next)}` : other;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state.message ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {state.message}
        </p>
      ) : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.email} error={state.fieldErrors?.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete={signUp ? "new-password" : "current-password"}
        required
        minLength={signUp ? 10 : undefined}
        // The rule once: as a hint, or as the error that repeats it, never both.
        hint={signUp && !state.fieldErrors?.password ? "At least 10 characters." : undefined}
        error={state.fieldErrors?.password}
      />
      {/* Not when joining through a pending invitation: that account gets no team of its own to hold a key. */}
      {signUp && offerFirstKey ? (
        <CheckboxField
          label="Create my first API key"
          name="first_key"
          defaultChecked={state.firstKey ?? false}
          hint="Your first dashboard page shows the key once, to copy. You can also create keys later."
        />
      ) : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Button type="submit" className="w-full" loading={pending}>
        {signUp ? "Create account" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        {signUp ? "Already have an account? " : "New to Llavero? "}
        <Link href={otherHref} className="font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-400">
          {signUp ? "Sign in" : "Create an account"}
        </Link>
      </p>
    </form>
  );
}
