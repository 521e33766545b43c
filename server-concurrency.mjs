// How many app processes server.mjs runs (node:cluster). Plain JavaScript: server.mjs runs under
// plain node and cannot import lib/ (TypeScript).
import os from "node:os";

/**
 * Decides the number of worker processes.
 *
 * - `WEB_CONCURRENCY` (a positive integer) when set; otherwise 1 in development and the number
 *   of cores (`os.availableParallelism()`) in production.
 * - Always 1 without `DATABASE_URL`: the embedded database (PGlite) lives inside one process
 *   and its data directory is locked by it, so a second process could not open it.
 * - Always 1 in development: `next dev` keeps one compiler and one `.next/dev` per process.
 *
 * @param {{ env: Record<string, string | undefined>, dev: boolean, cores?: number }} o
 * @returns {{ count: number, note: string | null }} `note` says why a requested count was not used.
 */
export function workerCount({ env, dev, cores = os.availableParallelism() }) {
  const raw = env.WEB_CONCURRENCY?.trim();
  let requested = dev ? 1 : Math.max(1, cores);
  let note = null;
  if (raw) {
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 1) requested = n;
    else note = `WEB_CONCURRENCY=${JSON.stringify(raw)} is not a positive integer; using ${requested}`;
  }
  if (requested > 1 && !env.DATABASE_URL?.trim()) {
    return { count: 1, note: `running 1 process, not ${requested}: the embedded database (no DATABASE_URL) can only be opened by one process. Set DATABASE_URL to a PostgreSQL server to run several.` };
  }
  if (requested > 1 && dev) {
    return { count: 1, note: `running 1 process, not ${requested}: the development server runs in one process` };
  }
  return { count: requested, note };
}

/**
 * The port to listen on, after the .env files are loaded as Next loads them (`.env.local`,
 * `.env.development(.local)` or `.env.production(.local)`, `.env`; the process environment
 * wins): a PORT kept in a .env file is the port the server listens on, the same one the app's
 * links (APP_URL's default) and the seeds use. Default 3000.
 *
 * @param {{ cwd: string, dev: boolean, loadEnvConfig: (dir: string, dev: boolean, log: { info: Function, error: Function }) => unknown, env?: Record<string, string | undefined> }} o
 * @returns {number}
 */
export function listenPort({ cwd, dev, loadEnvConfig, env = process.env }) {
  loadEnvConfig(cwd, dev, { info: () => {}, error: console.error });
  return Number(env.PORT ?? 3000);
}
