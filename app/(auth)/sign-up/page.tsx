import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { AuthShell } from "@/components/auth/auth-shell";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { getCurrentUser } from "@/lib/auth/session";
import { signUpAction } from "@/lib/auth/actions";
import { signUpJoinsInvitation } from "@/lib/auth/sign-up";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string; email?: string }> }) {
  const { next, email } = await searchParams;
  const target = next ? safeRedirectPath(next) : undefined;
  if (await getCurrentUser()) redirect(target ?? "/keys");
  // Only a pending invitation makes the account join a team (lib/auth/sign-up.ts); a stale or
  // unknown link signs up as usual, so the page must not promise otherwise.
  const joining = await signUpJoinsInvitation(target);
  return (
    <AuthShell
      title="Create your account"
      subtitle={joining ? "You join the team that invited you." : "You get a team of your own on the Free plan."}
    >
      <AuthForm mode="sign-up" action={signUpAction} next={target} defaultEmail={email} offerFirstKey={!joining} />
    </AuthShell>
  );
}
