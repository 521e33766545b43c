// `npm run license:rotate`: retires the stored license signing key and makes a new one. Tokens
// the old key signed keep verifying: its public key stays in /api/public/jwks.json for 24 h,
// as long as a token lives. Embedded mode: stop the portal first (one process owns PGlite).
import fs from "node:fs";
import { pendingMigrations, UnmigratedDatabaseError } from "@/lib/db/migrate";
import { openPglite } from "@/lib/db/pglite";
import { openPostgres } from "@/lib/db/postgres";
import type { Database } from "@/lib/db/types";
import { licenseJwks, rotateSigningKey } from "@/lib/billing/license";
import { env } from "@/lib/env";

for (const file of [".env.local", ".env"]) {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

async function main(): Promise<number> {
  const e = env();
  if (e.LICENSE_SIGNING_KEY) {
    console.error(
      "LICENSE_SIGNING_KEY is set, so tokens are signed with that key, not a stored one. To rotate it, " +
        "unset it and run this command (the stored key then signs), or replace its value: the old key then leaves the JWKS at once.",
    );
    return 1;
  }
  const db: Database = e.DATABASE_URL ? openPostgres(e.DATABASE_URL, 1) : await openPglite(e.LLAVERO_DATA_DIR);
  try {
    const pending = await pendingMigrations(db);
    if (pending.length > 0) throw new UnmigratedDatabaseError(pending);
    await rotateSigningKey(db);
    const { keys } = await licenseJwks(db);
    console.log(`New signing key ${keys[0]?.kid}; the JWKS now lists ${keys.length} key(s) (retired ones for 24 h).`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`license:rotate failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
