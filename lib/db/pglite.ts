import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable } from "./types";

const parsers = { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) };

export class DataDirectoryInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is already open by another Llavero process (pid ${pid}). ` +
        `PGlite cannot be shared between processes: stop that process first, or point ` +
        `LLAVERO_DATA_DIR at another directory, or set DATABASE_URL to use PostgreSQL.`,
    );
    this.name = "DataDirectoryInUseError";
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite does not lock its directory, and two writers silently lose data, so we take our own
 * lock: a file holding the owner's pid, created exclusively. A lock left by a dead process is
 * taken over; one held by a live process is refused.
 */
export function acquireDirectoryLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, "..", `${path.basename(dir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (holder === process.pid) {
        throw new DataDirectoryInUseError(dir, holder);
      }
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new DataDirectoryInUseError(dir, holder);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}

/** `dataDir` undefined means in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Database> {
  const release = dataDir ? acquireDirectoryLock(path.resolve(dataDir)) : () => {};
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir ? path.resolve(dataDir) : undefined, { parsers });
  } catch (err) {
    release();
    throw err;
  }
  const asQueryable = (q: Pick<PGlite, "query" | "exec">): Queryable => ({
    async query<T>(text: string, params?: unknown[]) {
      const r = await q.query<T>(text, params as unknown[]);
      return { rows: r.rows };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: "pglite",
    ...asQueryable(db),
    transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return db.transaction((tx) => fn(asQueryable(tx)));
    },
    async close() {
      await db.close();
      release();
    },
  };
}
