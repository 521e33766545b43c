// The server's key for secrets at rest (webhook signing secrets). No `import "server-only"`: the
// worker (`npm run worker`, tsx outside Next) signs deliveries with it. Never logs key material.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { deploymentMode, env, type Env } from "@/lib/env";
import { keyId, SEAL_KEY_BYTES, type Keyring } from "./seal";

/** Where the key came from: the environment, or the generated file (its path). */
export type KeySource = { kind: "env" } | { kind: "file"; path: string; created: boolean };

export interface AtRestKeyring extends Keyring {
  source: KeySource;
}

/** Production on PostgreSQL without LLAVERO_ENCRYPTION_KEY: the server refuses to start. */
export class MissingEncryptionKeyError extends Error {
  constructor() {
    super(
      "LLAVERO_ENCRYPTION_KEY is not set. On PostgreSQL in production every app and worker process, on every host, " +
        "must seal and open webhook secrets with the same key, kept apart from the database (a database backup alone must " +
        "not reveal them). Make one with `openssl rand -base64 32`, set it in the environment of every process, keep a copy " +
        "somewhere safe (losing it loses every webhook signing secret), and start again.",
    );
    this.name = "MissingEncryptionKeyError";
  }
}

/**
 * The generated key's file: beside the embedded database's directory (LLAVERO_DATA_DIR
 * `.data/pglite` → `.data/pglite.encryption-key`), not inside it, so a copy of the data
 * directory alone does not carry the key.
 */
export function keyFilePath(dataDir: string): string {
  const dir = path.resolve(dataDir);
  return path.join(path.dirname(dir), `${path.basename(dir)}.encryption-key`);
}

/**
 * Reads the key in `file` (base64, one line), or makes one: 32 random bytes written to a
 * temporary 0600 file, flushed, then linked to `file`. Linking fails if `file` exists, so two
 * processes starting together end up with the same key (the loser reads the winner's) and no
 * reader ever sees a half-written file. Throws with the file's path when it exists but does not
 * hold a 32-byte key (never overwritten: it may be the only copy of the key that sealed the data).
 */
export function loadOrCreateKeyFile(file: string): { key: Buffer; created: boolean } {
  const read = (): Buffer => {
    const text = fs.readFileSync(file, "utf8").trim();
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
    if (key.length !== SEAL_KEY_BYTES) {
      throw new Error(`${file} does not hold a ${SEAL_KEY_BYTES}-byte key in base64. Restore it from a backup, or set LLAVERO_ENCRYPTION_KEY.`);
    }
    return key;
  };
  if (fs.existsSync(file)) return { key: read(), created: false };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeSync(fd, `${randomBytes(SEAL_KEY_BYTES).toString("base64")}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
    return { key: read(), created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return { key: read(), created: false };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * The keyring for `e`: LLAVERO_ENCRYPTION_KEY when set; else, in embedded mode or outside
 * production, the generated key file beside LLAVERO_DATA_DIR; else (production on PostgreSQL)
 * throws MissingEncryptionKeyError. LLAVERO_ENCRYPTION_KEY_PREVIOUS adds keys that only open.
 */
export function loadAtRestKeyring(e: Env = env()): AtRestKeyring {
  const previous = e.LLAVERO_ENCRYPTION_KEY_PREVIOUS ?? [];
  if (e.LLAVERO_ENCRYPTION_KEY) return { current: e.LLAVERO_ENCRYPTION_KEY, previous, source: { kind: "env" } };
  if (e.NODE_ENV === "production" && deploymentMode(e) !== "embedded") throw new MissingEncryptionKeyError();
  const file = keyFilePath(e.LLAVERO_DATA_DIR);
  const { key, created } = loadOrCreateKeyFile(file);
  return { current: key, previous, source: { kind: "file", path: file, created } };
}

// On globalThis, like the database handle: the dev server re-evaluates modules on edits.
const holder = globalThis as unknown as { __llaveroAtRestKeyring?: AtRestKeyring };

/** The process's keyring, loaded once (see loadAtRestKeyring for where it comes from and its errors). */
export function atRestKeyring(): AtRestKeyring {
  holder.__llaveroAtRestKeyring ??= loadAtRestKeyring();
  return holder.__llaveroAtRestKeyring;
}

/** Tests swap keys (a wrong key, a rotation); undefined goes back to the environment's. */
export function setAtRestKeyringForTesting(keyring: Keyring | undefined): void {
  holder.__llaveroAtRestKeyring = keyring ? { previous: [], ...keyring, source: { kind: "env" } } : undefined;
}

/**
 * Loads the keyring at start (so a missing key stops the server at once, not at the first
 * webhook) and says where it came from, without key material: one line naming the key id, and
 * a warning when a generated file key is used with PostgreSQL (every process must share it).
 */
export function checkAtRestKeyAtStartup(log: (line: string) => void = console.log, warn: (line: string) => void = console.warn): AtRestKeyring {
  const ring = atRestKeyring();
  const id = keyId(ring.current);
  if (ring.source.kind === "env") {
    log(`[crypto] secrets at rest are sealed with LLAVERO_ENCRYPTION_KEY (key id ${id}${ring.previous?.length ? `; ${ring.previous.length} previous key(s) open older values` : ""})`);
  } else {
    const what = ring.source.created ? "generated a key for secrets at rest and stored it in" : "secrets at rest are sealed with the key in";
    log(`[crypto] ${what} ${ring.source.path} (key id ${id}); back it up apart from the database, or set LLAVERO_ENCRYPTION_KEY`);
    if (deploymentMode() !== "embedded") {
      warn(
        `[crypto] WARNING: DATABASE_URL is set but LLAVERO_ENCRYPTION_KEY is not: using the key file ${ring.source.path}. ` +
          `Every app and worker process must use the same key; set LLAVERO_ENCRYPTION_KEY (production refuses to start without it).`,
      );
    }
  }
  return ring;
}
