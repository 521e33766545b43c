import "server-only";
import { deploymentMode, env } from "@/lib/env";
import { migrate, pendingMigrations, UnmigratedDatabaseError } from "./migrate";
import { openPglite } from "./pglite";
import { openPostgres } from "./postgres";
import type { Database } from "./types";

// One database handle per process. On globalThis because Next's dev server re-evaluates modules
// on every edit, and a second PGlite on the same directory would silently lose writes.
const holder = globalThis as unknown as { __llaveroDb?: Promise<Database> };

async function open(): Promise<Database> {
  const e = env();
  const mode = deploymentMode(e);
  if (mode === "embedded") {
    const db = await openPglite(e.LLAVERO_DATA_DIR);
    await migrate(db, { installAuthStandIn: true });
    return db;
  }
  const db = openPostgres(e.DATABASE_URL!, 10, e.DATABASE_PREPARED_STATEMENTS === "true");
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    await db.close();
    throw new UnmigratedDatabaseError(pending);
  }
  return db;
}

export function getDb(): Promise<Database> {
  if (!holder.__llaveroDb) {
    holder.__llaveroDb = open().catch((err) => {
      holder.__llaveroDb = undefined;
      throw err;
    });
  }
  return holder.__llaveroDb;
}

/** Tests and scripts inject their own database. */
export function setDbForTesting(db: Database | undefined): void {
  holder.__llaveroDb = db ? Promise.resolve(db) : undefined;
}
