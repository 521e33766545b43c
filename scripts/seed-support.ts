// Shared by the seed scripts: open the configured database (refusing a PGlite directory that a
// running server holds) and make users, teams and keys the way the app does.
import { loadEnvConfig } from "@next/env";
import { hashPassword } from "../lib/auth/password";
import { migrate } from "../lib/db/migrate";
import { runAsUser } from "../lib/db/run-as-user";
import { openPglite } from "../lib/db/pglite";
import { openPostgres } from "../lib/db/postgres";
import type { Database } from "../lib/db/types";
import { deploymentMode, env, resetEnvCache } from "../lib/env";
import { displayParts, generateApiKey, hashApiKey } from "../lib/keys/format";

/**
 * Loads the portal's .env files from `dir` the way the portal itself does (server.mjs and Next
 * call @next/env's loadEnvConfig): `.env.<mode>.local`, `.env.local`, `.env.<mode>`, `.env`, the
 * first file naming a variable wins and the process's own environment wins over all files. The
 * mode is production when NODE_ENV=production (as under `npm start`), else development (as under
 * `npm run dev`). So a seed sees the DATABASE_URL, APP_URL and PORT of the portal it seeds, and
 * the URL it prints (lib/site-url.ts) is that portal's: reading only .env.local and .env missed
 * an APP_URL or PORT kept in .env.development and printed http://localhost:3000.
 */
export function loadPortalEnv(dir = process.cwd()): void {
  loadEnvConfig(dir, process.env.NODE_ENV !== "production", { info: () => {}, error: console.error });
  resetEnvCache();
}

export async function openConfiguredDatabase(): Promise<Database> {
  loadPortalEnv();
  const e = env();
  if (!e.DATABASE_URL) {
    const db = await openPglite(e.LLAVERO_DATA_DIR);
    await migrate(db, { installAuthStandIn: true });
    return db;
  }
  const db = openPostgres(e.DATABASE_URL, 4);
  await migrate(db, { installAuthStandIn: deploymentMode(e) !== "supabase" });
  return db;
}


/** Replaces any previous user of that email (and their teams), so seeding can be re-run. */
export async function freshUserWithTeam(db: Database, email: string, password: string, teamName: string, plan: string) {
  await db.query("delete from public.teams where owner_id in (select id from auth.users where lower(email) = lower($1))", [email]);
  await db.query("delete from auth.users where lower(email) = lower($1)", [email]);
  const { rows } = await db.query<{ id: string }>("insert into auth.users (email, encrypted_password) values ($1, $2) returning id", [
    email,
    await hashPassword(password),
  ]);
  const userId = rows[0]!.id;
  await db.query("insert into public.profiles (id, email) values ($1, $2)", [userId, email]);
  const teamId = await runAsUser(db, userId, async (tx) => (await tx.query<{ id: string }>("select public.create_team($1) as id", [teamName])).rows[0]!.id);
  await db.query("update public.teams set plan = $2 where id = $1", [teamId, plan]);
  return { userId, teamId };
}

export async function insertKey(db: Database, teamId: string, userId: string, name: string, rate: number): Promise<string> {
  const secret = generateApiKey();
  const { prefix, last4 } = displayParts(secret);
  const { rows } = await db.query<{ id: string }>(
    `insert into public.api_keys (team_id, created_by, name, prefix, last4, rate_limit_per_minute, created_at)
     values ($1, $2, $3, $4, $5, $6, now() - interval '91 days') returning id`,
    [teamId, userId, name, prefix, last4, rate],
  );
  await db.query("insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hashApiKey(secret), rows[0]!.id]);
  return rows[0]!.id;
}
