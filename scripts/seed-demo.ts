// `npm run seed:demo`: the demo team (scripts/demo-seed.ts): keys, activity and 90 days of calls
// replayed through the real verification. Stop the dev server first in embedded mode (PGlite
// has one owner). The sign-in URL printed is the portal's own (lib/site-url.ts: APP_URL, else
// localhost:PORT, read from the same .env files as the portal's: scripts/seed-support.ts). Runs
// under tsx's react-server condition (package.json): lib/keys/lifecycle.ts is "server-only".
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from "./demo-seed";
import { openConfiguredDatabase } from "./seed-support";

async function main() {
  const db = await openConfiguredDatabase();
  try {
    const started = Date.now();
    const out = await seedDemo(db);
    const refused = Object.entries(out.replay.refused)
      .map(([code, n]) => `${n.toLocaleString("en-US")} ${code}`)
      .join(", ");
    console.log(
      `Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.keys(out.keyIds).length} keys and ${out.calls.toLocaleString("en-US")} calls over 90 days ` +
        `(${out.replay.admitted.toLocaleString("en-US")} admitted; refused: ${refused || "none"}).\n` +
        `Sign in at ${out.signInUrl} as ${DEMO_EMAIL} with the password ${DEMO_PASSWORD}`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(`seed:demo failed: ${err.message}`);
  process.exit(1);
});
