import "server-only";
import { createFirstKey } from "@/lib/keys/first-key";
import { acceptInvitation, previewInvitation } from "@/lib/teams/invitations";
import { ensureUserBootstrapped } from "@/lib/teams/teams";
import type { SessionUser } from "./builtin";

const INVITATION_PATH = /^\/invite\/([A-Za-z0-9_-]{43})(?:[?#].*)?$/;

/** The invitation token in a sign-up's `next` (`/invite/<token>`), or null. */
export function invitationTokenIn(next: string | undefined): string | null {
  return next ? (INVITATION_PATH.exec(next)?.[1] ?? null) : null;
}

/**
 * Whether the sign-up page may say "You join the team that invited you.": `next` is
 * `/invite/<token>` and that token names an invitation still pending (not accepted, revoked or
 * expired). An unknown, used or stale link gets false, as a sign-up without one does: the page
 * learns nothing else about the invitation (its team, email or state), so a guessed token
 * reveals no more than the invite page itself shows to anyone holding it.
 */
export async function signUpJoinsInvitation(next: string | undefined): Promise<boolean> {
  const token = invitationTokenIn(next);
  if (!token) return false;
  return (await previewInvitation(token))?.status === "pending";
}

export interface SignUpOptions {
  /** The sign-up's `next` path: an invitation link there means the person came to join a team. */
  next?: string;
  /** "Create my first API key" was ticked. */
  firstKey: boolean;
  /** The sign-up's address, for the activity log entry of the first key. */
  ip: string;
}

export interface SignUpOutcome {
  /** The first key's one-time reveal token and expiry, for an httpOnly cookie; null when no key was made. */
  reveal: { token: string; expiresAt: Date } | null;
  /** The team joined through the invitation in `next`, or null when the account got its own team. */
  joinedTeamId: string | null;
}

/**
 * What a new account gets, after the user exists. From a pending invitation sent to this email:
 * a profile and membership of the inviting team, accepted here as part of signing up, and no team
 * of their own (issue 13 item 9; accepting later, on the page, left a window in which the first
 * dashboard view made them a team). Otherwise a profile and a first team, and, with `firstKey`,
 * that team's first API key (createFirstKey).
 */
export async function completeSignUp(user: SessionUser, opts: SignUpOptions): Promise<SignUpOutcome> {
  const token = invitationTokenIn(opts.next);
  const invite = token ? await previewInvitation(token) : null;
  const joining = token !== null && invite?.status === "pending" && invite.email.toLowerCase() === user.email.toLowerCase();
  await ensureUserBootstrapped(user, { ownTeam: !joining });
  if (joining) return { reveal: null, joinedTeamId: await acceptInvitation(user.id, token, opts.ip) };
  if (!opts.firstKey) return { reveal: null, joinedTeamId: null };
  const reveal = await createFirstKey(user.id, opts.ip);
  return { reveal: reveal ? { token: reveal.token, expiresAt: reveal.expiresAt } : null, joinedTeamId: null };
}
