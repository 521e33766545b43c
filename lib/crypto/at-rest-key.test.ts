import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { env, resetEnvCache, type Env } from "@/lib/env";
import { keyFilePath, loadAtRestKeyring, loadOrCreateKeyFile, MissingEncryptionKeyError } from "./at-rest-key";
import { keyId } from "./seal";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "llavero-key-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** env() for exactly `vars` (plus what the schema defaults), restoring process.env after. */
function envOf(vars: Record<string, string>): Env {
  const saved = { ...process.env };
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith("LLAVERO_") || k === "DATABASE_URL" || k.startsWith("NEXT_PUBLIC_SUPABASE")) delete process.env[k];
    Object.assign(process.env, vars);
    resetEnvCache();
    return env();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetEnvCache();
  }
}

describe("the at-rest key", () => {
  it("takes LLAVERO_ENCRYPTION_KEY in base64 or base64url, with or without padding", () => {
    const key = randomBytes(32);
    for (const text of [key.toString("base64"), key.toString("base64url"), key.toString("base64").replace(/=+$/, "")]) {
      expect(envOf({ LLAVERO_ENCRYPTION_KEY: text }).LLAVERO_ENCRYPTION_KEY).toEqual(key);
    }
    const prev = [randomBytes(32), randomBytes(32)];
    expect(envOf({ LLAVERO_ENCRYPTION_KEY_PREVIOUS: prev.map((k) => k.toString("base64")).join(",") }).LLAVERO_ENCRYPTION_KEY_PREVIOUS).toEqual(prev);
  });

  it("refuses a malformed key with a clear message that does not repeat it", () => {
    for (const bad of [randomBytes(16).toString("base64"), "not a key at all!", `${randomBytes(32).toString("hex")}`]) {
      let message = "";
      try {
        envOf({ LLAVERO_ENCRYPTION_KEY: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/LLAVERO_ENCRYPTION_KEY: must be 32 random bytes in base64 or base64url/);
      expect(message).toMatch(/openssl rand -base64 32/);
      expect(message).not.toContain(bad);
    }
  });

  it("generates a 0600 key file beside the data directory once, then reads the same key", () => {
    const dataDir = path.join(dir, "pglite");
    const file = keyFilePath(dataDir);
    expect(file).toBe(path.join(dir, "pglite.encryption-key"));
    const first = loadOrCreateKeyFile(file);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateKeyFile(file);
    expect(again).toEqual({ key: first.key, created: false });
    expect(fs.readdirSync(dir)).toEqual(["pglite.encryption-key"]); // no temporary file left
  });

  it("never overwrites a key file it cannot read as a key", () => {
    const file = path.join(dir, "pglite.encryption-key");
    fs.writeFileSync(file, "garbage\n");
    expect(() => loadOrCreateKeyFile(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} does not hold a 32-byte key`));
    expect(fs.readFileSync(file, "utf8")).toBe("garbage\n");
  });

  it("zero config (embedded, even in production) uses the key file; the environment's key wins", () => {
    const dataDir = path.join(dir, "pglite");
    const ring = loadAtRestKeyring(envOf({ LLAVERO_DATA_DIR: dataDir, NODE_ENV: "production" }));
    expect(ring.source).toEqual({ kind: "file", path: keyFilePath(dataDir), created: true });
    const key = randomBytes(32);
    const fromEnv = loadAtRestKeyring(envOf({ LLAVERO_DATA_DIR: dataDir, LLAVERO_ENCRYPTION_KEY: key.toString("base64") }));
    expect(fromEnv.source).toEqual({ kind: "env" });
    expect(keyId(fromEnv.current)).toBe(keyId(key));
  });

  it("production on PostgreSQL without a key refuses, saying what to do; development there uses the file", () => {
    const pg = { DATABASE_URL: "postgres://u@127.0.0.1:5432/x", LLAVERO_DATA_DIR: path.join(dir, "pglite") };
    expect(() => loadAtRestKeyring(envOf({ ...pg, NODE_ENV: "production" }))).toThrow(MissingEncryptionKeyError);
    expect(() => loadAtRestKeyring(envOf({ ...pg, NODE_ENV: "production" }))).toThrow(/openssl rand -base64 32/);
    expect(loadAtRestKeyring(envOf({ ...pg, NODE_ENV: "development" })).source.kind).toBe("file");
  });
});
