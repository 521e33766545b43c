import "server-only";
import { getDb } from "@/lib/db";
import type { Queryable } from "@/lib/db/types";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { newOpaqueToken, sha256Hex } from "./tokens";

/** The built-in email + password provider used in embedded and Postgres modes. */

export const SESSION_DAYS = 30;
const FAILURE_WINDOW_MINUTES = 15;
/** Wrong passwords for one email from one IP before that pair is refused for the window. */
export const MAX_FAILURES_PER_EMAIL_AND_IP = 5;
/** Wrong passwords from one IP, any emails, before that IP is refused for the window. */
export const MAX_FAILURES_PER_IP = 30;
/** Sign-ups (attempts, successful or not) per IP per hour; each costs a 128 MiB hash. */
export const SIGN_UP_WINDOW_MINUTES = 60;

/**
 * The wait before checking a password, from the email's recent failures across every IP. An
 * email is never refused for failures made elsewhere (that would let anyone who knows the email
 * lock its owner out, ASVS 2.2.1): guesses get slower instead. Milliseconds: none up to 4
 * failures, then 250 ms doubling per failure, at most 8 s.
 */
export function signInDelayMs(failuresForEmail: number): number {
  if (failuresForEmail < 5) return 0;
  return Math.min(8_000, 250 * 2 ** (failuresForEmail - 5));
}

let sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Tests record the delays instead of waiting them out. */
export function setSignInSleepForTesting(fn?: (ms: number) => Promise<void>): void {
  sleep = fn ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
}

// Neutral on purpose: it must not tell a stranger that an account exists for this email.
const SIGN_UP_REFUSED = "We could not create an account with that email and password. If you already have an account, sign in instead.";

export class AuthError extends Error {
  constructor(
    public readonly code: "email_taken" | "invalid_credentials" | "throttled" | "confirmation_required",
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

export interface SessionUser {
  id: string;
  email: string;
}

function retryMessage(what: string, oldest: Date | null, windowMinutes: number): string {
  const minutes = oldest ? Math.max(1, Math.ceil((oldest.getTime() + windowMinutes * 60_000 - Date.now()) / 60_000)) : windowMinutes;
  return `${what} Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Records a sign-up attempt from `ip` and refuses it (AuthError `throttled`) past
 * `limitPerHour` attempts from that IP in the last hour. Runs before any hashing.
 */
async function admitSignUp(ip: string, limitPerHour: number): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtext('llavero.sign-up:' || $1))", [ip]);
    const { rows } = await tx.query<{ n: number; oldest: Date | null }>(
      `select count(*)::int as n, min(attempted_at) as oldest from auth.llavero_sign_up_attempts
        where ip = $1 and attempted_at > now() - make_interval(mins => $2)`,
      [ip, SIGN_UP_WINDOW_MINUTES],
    );
    if (rows[0]!.n >= limitPerHour) {
      throw new AuthError("throttled", retryMessage("Too many sign-ups from your network.", rows[0]!.oldest, SIGN_UP_WINDOW_MINUTES));
    }
    await tx.query("insert into auth.llavero_sign_up_attempts (ip) values ($1)", [ip]);
  });
}

/**
 * Creates a built-in account. With `opts.ip`, sign-ups are throttled per IP
 * (`opts.limitPerHour`, default 20). An email already registered is refused with code
 * `email_taken` and a message that does not say so, after the same password hash a new account
 * costs, so neither the words nor the timing tell a stranger that the email has an account.
 */
export async function createUser(email: string, password: string, opts: { ip?: string; limitPerHour?: number } = {}): Promise<SessionUser> {
  if (opts.ip !== undefined) await admitSignUp(opts.ip, opts.limitPerHour ?? 20);
  const db = await getDb();
  const encrypted = await hashPassword(password);
  return db.transaction(async (tx) => {
    const existing = await tx.query("select 1 from auth.users where lower(email) = lower($1)", [email]);
    if (existing.rows.length > 0) throw new AuthError("email_taken", SIGN_UP_REFUSED);
    const { rows } = await tx.query<{ id: string }>(
      "insert into auth.users (email, encrypted_password) values ($1, $2) returning id",
      [email, encrypted],
    );
    return { id: rows[0]!.id, email };
  }).catch((err: unknown) => {
    // Two sign-ups with one email at the same moment: the unique index decides.
    if ((err as { code?: string }).code === "23505") throw new AuthError("email_taken", SIGN_UP_REFUSED);
    throw err;
  });
}

async function recentFailures(tx: Queryable, email: string, ip: string) {
  const { rows } = await tx.query<{ by_email: number; by_pair: number; by_ip: number; oldest_pair: Date | null; oldest_ip: Date | null }>(
    `select count(*) filter (where email = $1)::int as by_email,
            count(*) filter (where email = $1 and ip = $2)::int as by_pair,
            count(*) filter (where ip = $2)::int as by_ip,
            min(failed_at) filter (where email = $1 and ip = $2) as oldest_pair,
            min(failed_at) filter (where ip = $2) as oldest_ip
       from auth.llavero_sign_in_failures
      where failed_at > now() - make_interval(mins => $3) and (email = $1 or ip = $2)`,
    [email, ip, FAILURE_WINDOW_MINUTES],
  );
  return rows[0]!;
}

/**
 * Verifies a password. Refuses (AuthError `throttled`) an (email, IP) pair after
 * MAX_FAILURES_PER_EMAIL_AND_IP recent failures and an IP after MAX_FAILURES_PER_IP; failures
 * for the email from other IPs only slow the check down (signInDelayMs), so the owner can always
 * sign in from their own network. Wrong email or password: AuthError `invalid_credentials`.
 */
export async function verifyCredentials(emailRaw: string, password: string, ip: string): Promise<SessionUser> {
  const email = emailRaw.trim().toLowerCase();
  const db = await getDb();
  // Every attempt is recorded as a failure before the (slow) password check and cleared on
  // success, under a per-email lock: parallel guesses cannot all slip under the limit.
  const { attemptId, user, delay } = await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtext('llavero.sign-in:' || $1))", [email]);
    const failures = await recentFailures(tx, email, ip);
    if (failures.by_pair >= MAX_FAILURES_PER_EMAIL_AND_IP) {
      throw new AuthError("throttled", retryMessage("Too many failed sign-in attempts for this account from your network.", failures.oldest_pair, FAILURE_WINDOW_MINUTES));
    }
    if (failures.by_ip >= MAX_FAILURES_PER_IP) {
      throw new AuthError("throttled", retryMessage("Too many failed sign-in attempts from your network.", failures.oldest_ip, FAILURE_WINDOW_MINUTES));
    }
    const attempt = await tx.query<{ id: number }>("insert into auth.llavero_sign_in_failures (email, ip) values ($1, $2) returning id", [email, ip]);
    const found = await tx.query<{ id: string; email: string; encrypted_password: string | null }>(
      "select id, email, encrypted_password from auth.users where lower(email) = $1",
      [email],
    );
    return { attemptId: attempt.rows[0]!.id, user: found.rows[0], delay: signInDelayMs(failures.by_email) };
  });
  // Outside the transaction: a slowed guess holds no lock and no connection while it waits.
  if (delay > 0) await sleep(delay);
  const ok = await verifyPassword(password, user?.encrypted_password ?? (await dummyPasswordHash()));
  if (!user || !ok) throw new AuthError("invalid_credentials", "That email and password do not match an account.");
  // Only this network's failures are forgiven: someone else's guesses keep slowing the email.
  await db.query("delete from auth.llavero_sign_in_failures where (email = $1 and ip = $2) or id = $3", [email, ip, attemptId]);
  return { id: user.id, email: user.email };
}

export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = newOpaqueToken();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  const db = await getDb();
  await db.query("insert into auth.llavero_sessions (token_hash, user_id, expires_at) values ($1, $2, $3)", [
    sha256Hex(token),
    userId,
    expiresAt,
  ]);
  return { token, expiresAt };
}

export async function userForSession(token: string): Promise<SessionUser | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const db = await getDb();
  const { rows } = await db.query<SessionUser>(
    `select u.id, u.email from auth.llavero_sessions s join auth.users u on u.id = s.user_id
      where s.token_hash = $1 and s.expires_at > now()`,
    [sha256Hex(token)],
  );
  return rows[0] ?? null;
}

export async function deleteSession(token: string): Promise<void> {
  const db = await getDb();
  await db.query("delete from auth.llavero_sessions where token_hash = $1", [sha256Hex(token)]);
}
