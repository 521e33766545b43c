import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth/auth-shell";
import { buttonClasses } from "@/components/ui/button";
import { getCurrentUser } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { previewInvitation } from "@/lib/teams/invitations";
import { signOutAction } from "@/lib/auth/actions";
import { AcceptInvitationButton } from "./accept-button";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

const STATUS_TEXT = {
  accepted: "This invitation has already been used.",
  expired: "This invitation has expired. Ask the person who invited you for a new one.",
  revoked: "This invitation was withdrawn.",
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await previewInvitation(token);
  if (!invite) {
    return (
      <AuthShell title="Invitation not found">
        <p className="text-sm">This invitation link is not valid. Check that you copied all of it.</p>
      </AuthShell>
    );
  }
  if (invite.status !== "pending") {
    return (
      <AuthShell title={`Invitation to ${invite.team_name}`}>
        <p className="text-sm">{STATUS_TEXT[invite.status]}</p>
      </AuthShell>
    );
  }
  const user = await getCurrentUser();
  const here = `/invite/${token}`;
  const subtitle = (
    <>
      You are invited to join <strong>{invite.team_name}</strong> as <strong>{invite.role}</strong>. The link is for {invite.email} and expires on {formatDate(invite.expires_at)}.
    </>
  );
  if (!user) {
    return (
      <AuthShell title={`Join ${invite.team_name}`} subtitle={subtitle}>
        <div className="space-y-3">
          <Link className={buttonClasses("primary") + " w-full"} href={`/sign-up?next=${encodeURIComponent(here)}&email=${encodeURIComponent(invite.email)}`}>
            Create an account to join
          </Link>
          <Link className={buttonClasses("secondary") + " w-full"} href={`/sign-in?next=${encodeURIComponent(here)}`}>
            I already have an account
          </Link>
        </div>
      </AuthShell>
    );
  }
  if (user.email.toLowerCase() !== invite.email.toLowerCase()) {
    return (
      <AuthShell title={`Join ${invite.team_name}`} subtitle={subtitle}>
        <p className="mb-4 text-sm">
          You are signed in as <strong>{user.email}</strong>. Sign out and sign in as {invite.email} to accept.
        </p>
        <form action={signOutAction}>
          <button type="submit" className={buttonClasses("secondary") + " w-full"}>
            Sign out
          </button>
        </form>
      </AuthShell>
    );
  }
  return (
    <AuthShell title={`Join ${invite.team_name}`} subtitle={subtitle}>
      <AcceptInvitationButton token={token} teamName={invite.team_name} />
    </AuthShell>
  );
}
