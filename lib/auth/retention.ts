// No "server-only": the maintenance loop runs in scripts/worker.ts too.
import type { Database } from "@/lib/db/types";

/**
 * Sign-in failures and sign-up attempts only matter inside their throttle windows (15 minutes
 * and an hour, lib/auth/builtin.ts); a day is kept to look back on an attack, then they go.
 */
export const AUTH_THROTTLE_RETENTION_MS = 24 * 3600_000;

export interface AuthPurgeResult {
  signInFailures: number;
  signUpAttempts: number;
  expiredSessions: number;
  keyReveals: number;
}

/**
 * Deletes throttle rows older than AUTH_THROTTLE_RETENTION_MS, expired sessions and first-key
 * reveals nobody read before they expired (lib/keys/first-key.ts). The auth.llavero_* tables
 * exist only with the built-in provider (lib/db/auth-standin.ts); in Supabase mode only the
 * reveals are purged. Returns how many rows each delete removed.
 */
export async function purgeAuthHistory(db: Database, now = new Date()): Promise<AuthPurgeResult> {
  const result: AuthPurgeResult = { signInFailures: 0, signUpAttempts: 0, expiredSessions: 0, keyReveals: 0 };
  const reveals = await db.query<{ id: string }>("delete from public.key_reveals where expires_at <= $1 returning id", [now]);
  result.keyReveals = reveals.rows.length;
  const { rows } = await db.query<{ builtin: boolean }>("select to_regclass('auth.llavero_sign_in_failures') is not null as builtin");
  if (!rows[0]?.builtin) return result;
  const cutoff = new Date(now.getTime() - AUTH_THROTTLE_RETENTION_MS);
  const count = async (sql: string, param: Date) => {
    const r = await db.query<{ n: number }>(`with d as (${sql} returning 1) select count(*)::int as n from d`, [param]);
    return r.rows[0]?.n ?? 0;
  };
  result.signInFailures = await count("delete from auth.llavero_sign_in_failures where failed_at < $1", cutoff);
  result.signUpAttempts = await count("delete from auth.llavero_sign_up_attempts where attempted_at < $1", cutoff);
  result.expiredSessions = await count("delete from auth.llavero_sessions where expires_at <= $1", now);
  return result;
}
