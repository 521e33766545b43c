import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { openPglite } from "@/lib/db/pglite";
import { openPostgres } from "@/lib/db/postgres";
import type { Database } from "@/lib/db/types";

export interface TestDatabase {
  name: "pglite" | "postgres";
  db: Database;
  url?: string;
  dispose(): Promise<void>;
}

export type TestDatabaseFactory = { name: "pglite" | "postgres"; open: () => Promise<TestDatabase> };

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL names a server we may create databases on. */
export function testDatabases(): TestDatabaseFactory[] {
  const out: TestDatabaseFactory[] = [{ name: "pglite", open: openPgliteTestDb }];
  if (process.env.TEST_DATABASE_URL) out.push({ name: "postgres", open: openPostgresTestDb });
  return out;
}

export interface AppDatabaseSuite {
  /** The suite's database (set once `beforeAll` has run). */
  t: TestDatabase;
  /** `t.db`, the database the app's own code (lib/db's getDb) uses during the suite. */
  readonly db: Database;
}

/**
 * One suite's database as the app's: opened before the suite and handed to lib/db
 * (setDbForTesting), and after it (once `beforeClose` has run: flushCallLog, say) taken back and
 * disposed. Call it in the describe block; read `suite.db` / `suite.t` in tests and hooks.
 */
export function useAppDatabase(open: () => Promise<TestDatabase>, opts: { beforeClose?: () => unknown } = {}): AppDatabaseSuite {
  const suite = {
    t: undefined as unknown as TestDatabase,
    get db() {
      return suite.t.db;
    },
  };
  beforeAll(async () => {
    suite.t = await open();
    setDbForTesting(suite.t.db);
  });
  afterAll(async () => {
    await opts.beforeClose?.();
    setDbForTesting(undefined);
    await suite.t?.dispose();
  });
  return suite;
}

async function openPgliteTestDb(): Promise<TestDatabase> {
  const db = await openPglite();
  await migrate(db, { installAuthStandIn: true });
  return { name: "pglite", db, dispose: () => db.close() };
}

/** A fresh database per suite, so suites can run in parallel and leave nothing behind. */
export async function openPostgresTestDb(poolSize = 20, migrationsDir?: string): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const dbName = `llavero_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  // Kept small: suites run in parallel against one server with max_connections = 100.
  const db = openPostgres(url.toString(), poolSize);
  await migrate(db, { installAuthStandIn: true, dir: migrationsDir });
  return {
    name: "postgres",
    db,
    url: url.toString(),
    async dispose() {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${dbName} with (force)`);
      await a.end();
    },
  };
}
