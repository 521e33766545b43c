import "server-only";
import { createFirstKey } from "@/lib/keys/first-key";
import { previewInvitation } from "@/lib/teams/invitations";
import { ensureUserBootstrapped } from "@/lib/teams/teams";
import type { SessionUser } from "./builtin";

const INVITATION_PATH = /^\/invite\/([A-Za-z0-9_-]{43})(?:[?#].*)?$/;

/** The invitation token in a sign-up's `next` (`/invite/<token>`), or null. */
export function invitationTokenIn(next: string | undefined): string | null {
  return next ? (INVITATION_PATH.exec(next)?.[1] ?? null) : null;
}

export interface SignUpOptions {
  /** The sign-up's `next` path: an invitation link there means the person came to join a team. */
  next?: string;
  /** "Create my first API key" was ticked. */
  firstKey: boolean;
  /** The sign-up's address, for the activity log entry of the first key. */
  ip: string;
}

/**
 * What a new account gets, after the user exists. From a pending invitation sent to this email,
 * only a profile: the person joins the inviting team by accepting it on the page `next` leads to,
 * and gets no team of their own (issue 13 item 9). Otherwise a profile and a first team, and,
 * with `firstKey`, that team's first API key (createFirstKey): returns its one-time reveal token
 * and expiry for an httpOnly cookie, or null when no key was made.
 */
export async function completeSignUp(user: SessionUser, opts: SignUpOptions): Promise<{ token: string; expiresAt: Date } | null> {
  const token = invitationTokenIn(opts.next);
  const invite = token ? await previewInvitation(token) : null;
  const joining = invite?.status === "pending" && invite.email.toLowerCase() === user.email.toLowerCase();
  await ensureUserBootstrapped(user, { ownTeam: !joining });
  if (!opts.firstKey || joining) return null;
  const reveal = await createFirstKey(user.id, opts.ip);
  return reveal ? { token: reveal.token, expiresAt: reveal.expiresAt } : null;
}
