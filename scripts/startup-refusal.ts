// `npm test` step after the production build: a production server that cannot work must say so
// and exit 1 before it ever says "ready" (server.mjs prepares Next's render server, and so runs
// instrumentation.ts's checks, before listening). Two cases, each with one and two processes:
// an unmigrated PostgreSQL database, and a migrated one without LLAVERO_ENCRYPTION_KEY.
// Needs the build and TEST_DATABASE_URL (PostgreSQL), else it says so and exits 0.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { openPostgres } from "../lib/db/postgres";

const ADMIN_URL = process.env.TEST_DATABASE_URL;
const log = (line: string) => console.log(`startup-refusal: ${line}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `node server.mjs` and returns its exit code and output (killed after 90 s). */
async function start(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["server.mjs"], { env: { ...env, PORT: String(await freePort()), HOSTNAME_BIND: "127.0.0.1" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

async function main() {
  if (!ADMIN_URL) {
    log("skipped: set TEST_DATABASE_URL to a PostgreSQL server");
    return;
  }
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const names = [`llavero_refusal_a_${Date.now().toString(36)}`, `llavero_refusal_b_${Date.now().toString(36)}`];
  const urlOf = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  let failures = 0;
  try {
    for (const n of names) await admin.query(`create database ${n}`);
    const migrated = openPostgres(urlOf(names[1]!), 2);
    await migrate(migrated, { installAuthStandIn: true });
    await migrated.close();
    const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
    delete base.LLAVERO_ENCRYPTION_KEY;
    const cases = [
      { what: "unmigrated database", env: { ...base, DATABASE_URL: urlOf(names[0]!), LLAVERO_ENCRYPTION_KEY: randomBytes(32).toString("base64") }, expect: /missing \d+ migration/ },
      { what: "no LLAVERO_ENCRYPTION_KEY", env: { ...base, DATABASE_URL: urlOf(names[1]!) }, expect: /LLAVERO_ENCRYPTION_KEY is not set/ },
    ];
    for (const c of cases) {
      for (const processes of [1, 2]) {
        const { code, output } = await start({ ...c.env, WEB_CONCURRENCY: String(processes) });
        const problems = [
          code === 1 ? null : `exit code ${code}, expected 1`,
          c.expect.test(output) ? null : `no message matching ${c.expect}`,
          /ready on|listening on port/.test(output) ? "it said it was ready or listening first" : null,
        ].filter(Boolean);
        if (problems.length) {
          failures++;
          log(`FAIL ${c.what}, ${processes} process(es): ${problems.join("; ")}\n${output}`);
        } else {
          log(`${c.what}, ${processes} process(es): refused with exit 1 before listening`);
        }
      }
    }
  } finally {
    for (const n of names) await admin.query(`drop database if exists ${n} with (force)`);
    await admin.end();
  }
  if (failures) process.exit(1);
}

main().catch((err: Error) => {
  console.error(`startup-refusal: ${err.stack ?? err.message}`);
  process.exit(1);
});
