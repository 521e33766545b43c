/**
 * Playwright's global teardown: after the whole suite, stop the e2e server, dump every table of
 * its embedded database and read the server's captured stdout/stderr, and fail the run if any of
 * them holds a secret in clear: a full API key (well-formed, valid checksum), a password the
 * specs typed, a session token the browsers held, or a webhook secret (whsec_…).
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { parseApiKey } from "../lib/keys/format";
import { OBSERVED_SECRETS_FILE } from "./fixtures";
import { PASSWORD } from "./helpers";

export const E2E_DATA_DIR = path.join(".data", "e2e");
export const E2E_SERVER_LOG = path.join(".data", "e2e-server.log");
/** Every password the specs type, right or wrong. */
const PASSWORDS = [PASSWORD, "not the right password"];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The embedded database belongs to one process: stop the server (by the pid in its lock file). */
async function stopServer(dataDir: string): Promise<void> {
  const lock = `${dataDir}.lock`;
  if (!fs.existsSync(lock)) return;
  const pid = Number(fs.readFileSync(lock, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 150 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, "SIGKILL");
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Every row of every table of the embedded database in `dataDir`, as `schema.table {json}`
 * lines (the database must not be open elsewhere). Every column is included, webhook endpoints'
 * `secret`/`previous_secret` too: they hold sealed envelopes (`sealed.v1.…`, lib/crypto/seal.ts),
 * so a `whsec_` there is a secret stored in clear. The at-rest key lives in a file beside the
 * data directory, which is not read here: the dump alone must reveal nothing.
 */
export async function dumpDatabase(dataDir: string): Promise<{ text: string; rows: number; tables: number }> {
  const db = new PGlite(dataDir);
  try {
    const { rows: tables } = await db.query<{ s: string; t: string }>(
      `select table_schema as s, table_name as t from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const parts: string[] = [];
    let rows = 0;
    for (const { s, t } of tables) {
      const r = await db.query<{ j: string }>(`select to_jsonb(x)::text as j from "${s}"."${t}" x`);
      rows += r.rows.length;
      for (const row of r.rows) parts.push(`${s}.${t} ${row.j}`);
    }
    return { text: parts.join("\n"), rows, tables: tables.length };
  } finally {
    await db.close();
  }
}

/** What in `text` is a secret in clear; each finding names where and what, never the secret. */
export function findSecrets(text: string, where: string, sessionTokens: string[]): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/sk_live_[0-9A-Za-z]{38}/g)) {
    if (parseApiKey(m[0]).ok) found.push(`${where}: a full API key (${m[0].slice(0, 12)}…)`);
  }
  for (const pw of PASSWORDS) if (text.includes(pw)) found.push(`${where}: a password the tests used`);
  for (const token of sessionTokens) if (text.includes(token)) found.push(`${where}: a session token (${token.slice(0, 4)}…)`);
  for (const m of text.matchAll(/whsec_[A-Za-z0-9+/=_-]{16,}/g)) found.push(`${where}: a webhook secret (${m[0].slice(0, 8)}…)`);
  return found;
}

export default function secretsSweep(): Promise<void> {
  return sweepSecrets(E2E_DATA_DIR, E2E_SERVER_LOG);
}

/** Stop the server that owns `dataDir`, then check its database and its log `serverLog` (the billing run has its own). */
export async function sweepSecrets(dataDir: string, serverLog: string): Promise<void> {
  await stopServer(dataDir);
  if (!fs.existsSync(dataDir)) throw new Error(`secrets sweep: no e2e database at ${dataDir}`);
  const dump = await dumpDatabase(dataDir);
  const log = fs.existsSync(serverLog) ? fs.readFileSync(serverLog, "utf8") : "";
  const tokens = fs.existsSync(OBSERVED_SECRETS_FILE)
    ? fs.readFileSync(OBSERVED_SECRETS_FILE, "utf8").split("\n").filter((l) => l.startsWith("session ")).map((l) => l.slice(8))
    : [];
  // Guard against a vacuous pass: the dump must be the real database, the log the real server's.
  if (!dump.text.includes("schema_migrations")) throw new Error("secrets sweep: the database dump is empty; it did not read the e2e database");
  if (!/ready on/.test(log)) throw new Error(`secrets sweep: ${serverLog} does not hold the server's output`);
  const findings = [...findSecrets(dump.text, "database", tokens), ...findSecrets(log, "server log", tokens)];
  // Webhook secrets are searched like the rest; this count only shows they were there to search.
  const sealedSecrets = (dump.text.match(/"(previous_)?secret": "sealed\.v1\./g) ?? []).length;
  console.log(
    `secrets sweep: ${dump.rows} rows in ${dump.tables} tables (${sealedSecrets} sealed webhook secrets), ${log.split("\n").length} server log lines, ${tokens.length} session tokens checked: ${findings.length === 0 ? "clean" : `${findings.length} findings`}`,
  );
  if (findings.length > 0) throw new Error(`secrets sweep found secrets in clear:\n  ${[...new Set(findings)].join("\n  ")}`);
}
