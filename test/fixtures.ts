import { runAsUser } from "@/lib/db/run-as-user";
import { expect } from "vitest";
import type { Database } from "@/lib/db/types";

/**
 * Shared helpers for the integration suites. Everything here talks to a database handed in
 * explicitly, so a suite can run the same checks on PGlite and PostgreSQL side by side.
 */

/** Same as lib/db/as-user.ts, on the given database: a transaction as `authenticated` with the user's claims. */
/** The app's own helper, on a test database. */
export const asUserOn = runAsUser;

/** One query as the user; returns its rows. */
export async function queryAs<T = Record<string, unknown>>(db: Database, userId: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return asUserOn(db, userId, async (tx) => (await tx.query<T>(sql, params)).rows);
}

/** A user in auth.users plus their profile, written by the superuser connection (no team yet). */
export async function createUser(db: Database, email: string, opts: { profile?: boolean } = {}): Promise<string> {
  const { rows } = await db.query<{ id: string }>("insert into auth.users (email) values ($1) returning id", [email]);
  const id = rows[0]!.id;
  if (opts.profile !== false) await db.query("insert into public.profiles (id, email) values ($1, $2)", [id, email]);
  return id;
}

/** A team created by the user through public.create_team, exactly as the app does. */
export async function createTeamAs(db: Database, userId: string, name: string): Promise<string> {
  const rows = await queryAs<{ id: string }>(db, userId, "select public.create_team($1) as id", [name]);
  return rows[0]!.id;
}

/** Adds a membership directly as the superuser (tests that are not about invitations). */
export async function addMember(db: Database, teamId: string, userId: string, role: "admin" | "member"): Promise<void> {
  await db.query("insert into public.team_members (team_id, user_id, role) values ($1, $2, $3)", [teamId, userId, role]);
}

let prefixCounter = 0;

/** A 12-character prefix, unique within the process. */
export function keyPrefix(): string {
  prefixCounter += 1;
  return `sk_live_${prefixCounter.toString(36).padStart(4, "0")}`;
}

/** Inserts an API key as the user, through row-level security. Returns its id. */
export async function insertKeyAs(db: Database, userId: string, teamId: string, name = "key"): Promise<string> {
  const rows = await queryAs<{ id: string }>(
    db,
    userId,
    `insert into public.api_keys (team_id, created_by, name, prefix, last4, rate_limit_per_minute)
     values ($1, auth.uid(), $2, $3, 'a1b2', 10) returning id`,
    [teamId, name, keyPrefix()],
  );
  return rows[0]!.id;
}

/** Inserts an audit entry as the user, through row-level security. */
export async function insertAuditAs(db: Database, userId: string, teamId: string, keyId: string | null = null): Promise<number> {
  const rows = await queryAs<{ id: number }>(
    db,
    userId,
    "insert into public.audit_log (team_id, key_id, actor_id, action) values ($1, $2, auth.uid(), 'key.created') returning id",
    [teamId, keyId],
  );
  return rows[0]!.id;
}

/** Asserts that the promise rejects with the given SQLSTATE (both drivers expose `code`). */
export async function expectSqlState(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected SQLSTATE ${code}, but the statement succeeded`).not.toBeNull();
  expect((err as { code?: string }).code).toBe(code);
}
