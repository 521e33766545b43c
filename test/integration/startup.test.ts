import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, setDbForTesting } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { UnmigratedDatabaseError } from "@/lib/db/migrate";
import { acquireDirectoryLock, DataDirectoryInUseError, openPglite } from "@/lib/db/pglite";

describe("the embedded database has one owner", () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "llavero-lock-"));
    dirs.push(d);
    return path.join(d, "pglite");
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("refuses a second open in the same process (a hot-reloaded module) with a clear message", async () => {
    const dir = tmp();
    const db = await openPglite(dir);
    await expect(openPglite(dir)).rejects.toThrow(DataDirectoryInUseError);
    await expect(openPglite(dir)).rejects.toThrow(/already open by another Llavero process/);
    await db.close();
    // Closing releases the lock.
    const again = await openPglite(dir);
    await again.close();
  });

  it("refuses a directory another live process holds, and takes over a dead one's lock", async () => {
    const dir = tmp();
    fs.mkdirSync(dir, { recursive: true });
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      fs.writeFileSync(`${dir}.lock`, String(child.pid));
      expect(() => acquireDirectoryLock(dir)).toThrow(new RegExp(`pid ${child.pid}`));
    } finally {
      child.kill();
    }
    await new Promise((r) => child.once("exit", r));
    const release = acquireDirectoryLock(dir);
    expect(fs.readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("Postgres mode on an unmigrated database", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
    setDbForTesting(undefined);
  });

  it("refuses to start and says to run npm run db:migrate", async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const name = `llavero_unmigrated_${Date.now()}`;
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      resetEnvCache();
      setDbForTesting(undefined);
      const err = await getDb().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UnmigratedDatabaseError);
      expect((err as Error).message).toMatch(/Run `npm run db:migrate` with the same DATABASE_URL/);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
