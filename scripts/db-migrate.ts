// `npm run db:migrate`: applies supabase/migrations to DATABASE_URL (PostgreSQL or Supabase).
// Embedded mode needs no command: the app migrates its PGlite database at start.
import { deploymentMode, env } from "../lib/env";
import { migrate } from "../lib/db/migrate";
import { openPostgres } from "../lib/db/postgres";

async function main() {
  try {
    process.loadEnvFile?.(".env.local");
  } catch {
    /* no .env.local */
  }
  const e = env();
  if (!e.DATABASE_URL) {
    console.error("DATABASE_URL is not set. In embedded mode (no DATABASE_URL) Llavero migrates its own database at start.");
    process.exit(1);
  }
  const db = openPostgres(e.DATABASE_URL, 1);
  try {
    // Supabase provides the auth schema and roles itself; elsewhere we install the stand-in.
    const applied = await migrate(db, { installAuthStandIn: deploymentMode(e) !== "supabase" });
    console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}` : "The database is up to date.");
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(`Migration failed: ${err.message}`);
  process.exit(1);
});
