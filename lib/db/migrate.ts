import fs from "node:fs";
import path from "node:path";
import { AUTH_STANDIN_SQL } from "./auth-standin";
import type { Database } from "./types";

const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "supabase", "migrations");
// Any fixed number works: it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_146_233_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const [version, ...rest] = file.replace(/\.sql$/, "").split("_");
      return { version: version!, name: rest.join("_"), sql: fs.readFileSync(path.join(/*turbopackIgnore: true*/ dir, file), "utf8") };
    });
}

const BOOKKEEPING_SQL = `
create schema if not exists llavero_meta;
create table if not exists llavero_meta.schema_migrations (
  version text primary key,
  name text not null,
  applied_at timestamptz not null default now()
);
revoke all on schema llavero_meta from public;
`;

export interface MigrateOptions {
  /** Supabase provides the auth schema itself; everywhere else we install the stand-in. */
  installAuthStandIn: boolean;
  dir?: string;
}

/**
 * Idempotent: applies only what is missing. Everything runs in one transaction, so a failed
 * migration leaves the database as it was, and on PostgreSQL a transaction-scoped advisory lock
 * makes app instances and workers that start together take turns.
 */
export async function migrate(db: Database, opts: MigrateOptions): Promise<string[]> {
  const migrations = readMigrations(opts.dir);
  return db.transaction(async (tx) => {
    if (db.kind === "postgres") await tx.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    if (opts.installAuthStandIn) await tx.exec(AUTH_STANDIN_SQL);
    await tx.exec(BOOKKEEPING_SQL);
    const done = new Set(
      (await tx.query<{ version: string }>("select version from llavero_meta.schema_migrations")).rows.map(
        (r) => r.version,
      ),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new Error(`Migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
      }
      await tx.query("insert into llavero_meta.schema_migrations (version, name) values ($1, $2)", [m.version, m.name]);
      applied.push(`${m.version}_${m.name}`);
    }
    return applied;
  });
}

export async function pendingMigrations(db: Database, dir?: string): Promise<string[]> {
  const exists = await db.query<{ ok: boolean }>(
    "select to_regclass('llavero_meta.schema_migrations') is not null as ok",
  );
  const done = new Set<string>();
  if (exists.rows[0]?.ok) {
    for (const r of (await db.query<{ version: string }>("select version from llavero_meta.schema_migrations")).rows) {
      done.add(r.version);
    }
  }
  return readMigrations(dir)
    .filter((m) => !done.has(m.version))
    .map((m) => `${m.version}_${m.name}`);
}

export class UnmigratedDatabaseError extends Error {
  constructor(pending: string[]) {
    super(
      `The database is missing ${pending.length} migration(s) (${pending.join(", ")}). ` +
        `Run \`npm run db:migrate\` with the same DATABASE_URL, then start Llavero again.`,
    );
    this.name = "UnmigratedDatabaseError";
  }
}
