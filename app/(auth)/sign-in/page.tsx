import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { AuthShell } from "@/components/auth/auth-shell";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { getCurrentUser } from "@/lib/auth/session";
import { signInAction } from "@/lib/auth/actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const target = next ? safeRedirectPath(next) : undefined;
  if (await getCurrentUser()) redirect(target ?? "/keys");
  return (
    <AuthShell title="Sign in" subtitle="Welcome back.">
      <AuthForm mode="sign-in" action={signInAction} next={target} />
    </AuthShell>
  );
}
