// `npm run seed:scale [-- --calls N] [-- --max-seconds S]`: N logged calls (default 1,000,000,
// or SEED_SCALE_CALLS) over 90 days for one team of 20 keys, for the usage-analytics scale
// figures. On PostgreSQL (DATABASE_URL) the rows are streamed with one COPY FROM STDIN, in
// constant memory, printing progress, and stopped after S seconds (default 1800) with what was
// written kept; on PGlite it falls back to the in-database generator (slowly).
import { parseArgs } from "node:util";
import { env } from "../lib/env";
import { PLANS } from "../lib/plans";
import { rebuildUsageRollup } from "../lib/usage/maintenance";
import { copyTraffic } from "../lib/usage/seed-copy";
import { recountTraffic, seedTraffic } from "../lib/usage/seed-traffic";
import { freshUserWithTeam, insertKey, openConfiguredDatabase } from "./seed-support";

export const SCALE_EMAIL = "scale@llavero.local";

const { values } = parseArgs({ options: { calls: { type: "string" }, "max-seconds": { type: "string" } } });
const CALLS = Number(values.calls ?? process.env.SEED_SCALE_CALLS ?? 1_000_000);
const MAX_SECONDS = Number(values["max-seconds"] ?? 1800);

async function main() {
  if (!Number.isInteger(CALLS) || CALLS < 1) throw new Error("--calls must be a positive integer");
  const db = await openConfiguredDatabase();
  const started = Date.now();
  const progress = (done: number) => {
    const s = (Date.now() - started) / 1000;
    process.stdout.write(`\r  ${done.toLocaleString("en-US")} of ${CALLS.toLocaleString("en-US")} calls written (${s.toFixed(0)} s, ${Math.round(done / Math.max(s, 0.001)).toLocaleString("en-US")} rows/s)`);
  };
  try {
    const { userId, teamId } = await freshUserWithTeam(db, SCALE_EMAIL, "llavero-scale-password", "Scale Co.", "business");
    const keyIds: string[] = [];
    for (let i = 1; i <= 20; i++) keyIds.push(await insertKey(db, teamId, userId, `Key ${String(i).padStart(2, "0")}`, 300));
    let written = CALLS;
    const url = env().DATABASE_URL;
    if (db.kind === "postgres" && url) {
      const r = await copyTraffic(url, { teamId, keyIds, days: 90, calls: CALLS, seed: 31, timeBoxMs: MAX_SECONDS * 1000, onProgress: progress });
      written = r.written;
      process.stdout.write("\n");
      if (r.stopped) console.log(`  time box of ${MAX_SECONDS} s reached: kept ${written.toLocaleString("en-US")} rows`);
      await recountTraffic(db, teamId, PLANS.business.monthlyCalls);
    } else {
      await seedTraffic(db, { teamId, keyIds, days: 90, calls: CALLS, seed: 0.31, monthlyQuota: PLANS.business.monthlyCalls }, progress);
      process.stdout.write("\n");
    }
    const rolledUp = await rebuildUsageRollup(db);
    await db.query("analyze public.api_calls");
    await db.query("analyze public.usage_daily");
    console.log(`Seeded ${written.toLocaleString("en-US")} calls for team ${teamId} (${rolledUp} rollup rows) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(`seed:scale failed: ${err.message}`);
  process.exit(1);
});
