import "server-only";
import { getDb } from "@/lib/db";
import type { Queryable } from "@/lib/db/types";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { newOpaqueToken, sha256Hex } from "./tokens";

/** The built-in email + password provider used in embedded and Postgres modes. */

export const SESSION_DAYS = 30;
const FAILURE_WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_IP = 30;

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

export async function createUser(email: string, password: string): Promise<SessionUser> {
  const db = await getDb();
  const encrypted = await hashPassword(password);
  return db.transaction(async (tx) => {
    const existing = await tx.query("select 1 from auth.users where lower(email) = lower($1)", [email]);
    if (existing.rows.length > 0) {
      throw new AuthError("email_taken", "An account with this email already exists. Sign in instead.");
    }
    const { rows } = await tx.query<{ id: string }>(
      "insert into auth.users (email, encrypted_password) values ($1, $2) returning id",
      [email, encrypted],
    );
    return { id: rows[0]!.id, email };
  }).catch((err: unknown) => {
    // Two sign-ups with one email at the same moment: the unique index decides.
    if ((err as { code?: string }).code === "23505") throw new AuthError("email_taken", "An account with this email already exists. Sign in instead.");
    throw err;
  });
}

async function recentFailures(tx: Queryable, email: string, ip: string) {
  const { rows } = await tx.query<{ by_email: number; by_ip: number; oldest: Date | null }>(
    `select count(*) filter (where email = $1)::int as by_email,
            count(*) filter (where ip = $2)::int as by_ip,
            min(failed_at) filter (where email = $1) as oldest
       from auth.llavero_sign_in_failures
      where failed_at > now() - make_interval(mins => $3) and (email = $1 or ip = $2)`,
    [email, ip, FAILURE_WINDOW_MINUTES],
  );
  return rows[0]!;
}

/** Verifies a password, throttling repeated failures per email and per client IP. */
export async function verifyCredentials(emailRaw: string, password: string, ip: string): Promise<SessionUser> {
  const email = emailRaw.trim().toLowerCase();
  const db = await getDb();
  // Every attempt is recorded as a failure before the (slow) password check and cleared on
  // success, under a per-email lock: parallel guesses cannot all slip under the limit.
  const { attemptId, user } = await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtext('llavero.sign-in:' || $1))", [email]);
    const failures = await recentFailures(tx, email, ip);
    if (failures.by_email >= MAX_FAILURES_PER_EMAIL || failures.by_ip >= MAX_FAILURES_PER_IP) {
      const minutes = failures.oldest
        ? Math.max(1, Math.ceil((failures.oldest.getTime() + FAILURE_WINDOW_MINUTES * 60_000 - Date.now()) / 60_000))
        : FAILURE_WINDOW_MINUTES;
      throw new AuthError("throttled", `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
    }
    const attempt = await tx.query<{ id: number }>("insert into auth.llavero_sign_in_failures (email, ip) values ($1, $2) returning id", [email, ip]);
    const found = await tx.query<{ id: string; email: string; encrypted_password: string | null }>(
      "select id, email, encrypted_password from auth.users where lower(email) = $1",
      [email],
    );
    return { attemptId: attempt.rows[0]!.id, user: found.rows[0] };
  });
  const ok = await verifyPassword(password, user?.encrypted_password ?? (await dummyPasswordHash()));
  if (!user || !ok) throw new AuthError("invalid_credentials", "That email and password do not match an account.");
  await db.query("delete from auth.llavero_sign_in_failures where email = $1 or id = $2", [email, attemptId]);
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
