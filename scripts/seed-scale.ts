// `npm run seed:scale`: 1,000,000 logged calls over 90 days for one team of 20 keys, for the
// usage-analytics scale figures. Meant for PostgreSQL (DATABASE_URL); it works on PGlite but slowly.
import { PLANS } from "../lib/plans";
import { rebuildUsageRollup } from "../lib/usage/maintenance";
import { seedTraffic } from "../lib/usage/seed-traffic";
import { freshUserWithTeam, insertKey, openConfiguredDatabase } from "./seed-support";

export const SCALE_EMAIL = "scale@llavero.local";
const CALLS = Number(process.env.SEED_SCALE_CALLS ?? 1_000_000);

async function main() {
  const db = await openConfiguredDatabase();
  const started = Date.now();
  try {
    const { userId, teamId } = await freshUserWithTeam(db, SCALE_EMAIL, "llavero-scale-password", "Scale Co.", "business");
    const keyIds: string[] = [];
    for (let i = 1; i <= 20; i++) keyIds.push(await insertKey(db, teamId, userId, `Key ${String(i).padStart(2, "0")}`, 300));
    await seedTraffic(db, { teamId, keyIds, days: 90, calls: CALLS, seed: 0.31, monthlyQuota: PLANS.business.monthlyCalls }, (done) =>
      process.stdout.write(`\r  ${done.toLocaleString("en-US")} of ${CALLS.toLocaleString("en-US")} calls written`),
    );
    process.stdout.write("\n");
    const rolledUp = await rebuildUsageRollup(db);
    await db.query("analyze public.api_calls");
    await db.query("analyze public.usage_daily");
    console.log(`Seeded ${CALLS.toLocaleString("en-US")} calls for team ${teamId} (${rolledUp} rollup rows) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(`seed:scale failed: ${err.message}`);
  process.exit(1);
});
