// `npm run seed:demo`: a demo team with keys and 90 days of realistic traffic, so the usage
// charts are full at once. Stop the dev server first in embedded mode (PGlite has one owner).
import { PLANS } from "../lib/plans";
import { rebuildUsageRollup } from "../lib/usage/maintenance";
import { seedTraffic } from "../lib/usage/seed-traffic";
import { freshUserWithTeam, insertKey, openConfiguredDatabase } from "./seed-support";

const EMAIL = "demo@llavero.local";
const PASSWORD = "llavero-demo-password";

async function main() {
  const db = await openConfiguredDatabase();
  try {
    const { userId, teamId } = await freshUserWithTeam(db, EMAIL, PASSWORD, "Demo Co.", "business");
    const names = ["Production", "Staging", "Mobile app", "Partner: Contadores MX", "Data pipeline"];
    const keyIds: string[] = [];
    for (const name of names) keyIds.push(await insertKey(db, teamId, userId, name, 300));
    await seedTraffic(db, { teamId, keyIds, days: 90, calls: 60_000, seed: 0.17, monthlyQuota: PLANS.business.monthlyCalls });
    await rebuildUsageRollup(db);
    console.log(`Demo data ready: 5 keys and 60,000 calls over 90 days.\nSign in at http://localhost:3000/sign-in as ${EMAIL} with the password ${PASSWORD}`);
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(`seed:demo failed: ${err.message}`);
  process.exit(1);
});
