import { describe, expect, it } from "vitest";
import { workerCount } from "@/server-concurrency.mjs";

const PG = "postgres://postgres@127.0.0.1:5432/x";

describe("server.mjs process count (WEB_CONCURRENCY)", () => {
  it("defaults to one process per core in production and one in development", () => {
    expect(workerCount({ env: { DATABASE_URL: PG }, dev: false, cores: 4 })).toEqual({ count: 4, note: null });
    expect(workerCount({ env: { DATABASE_URL: PG }, dev: true, cores: 4 })).toEqual({ count: 1, note: null });
  });

  it("takes WEB_CONCURRENCY when it is a positive integer, and says so when it is not", () => {
    expect(workerCount({ env: { DATABASE_URL: PG, WEB_CONCURRENCY: "3" }, dev: false, cores: 2 }).count).toBe(3);
    expect(workerCount({ env: { DATABASE_URL: PG, WEB_CONCURRENCY: "1" }, dev: false, cores: 8 }).count).toBe(1);
    const bad = workerCount({ env: { DATABASE_URL: PG, WEB_CONCURRENCY: "two" }, dev: false, cores: 2 });
    expect(bad.count).toBe(2);
    expect(bad.note).toMatch(/not a positive integer/);
  });

  it("forces one process on the embedded database (no DATABASE_URL), and says why", () => {
    for (const env of [{ WEB_CONCURRENCY: "4" }, { WEB_CONCURRENCY: "4", DATABASE_URL: " " }, {}]) {
      const r = workerCount({ env, dev: false, cores: 4 });
      expect(r.count).toBe(1);
      expect(r.note).toMatch(/embedded database .* one process/);
    }
  });

  it("forces one process in development even when more are asked for", () => {
    const r = workerCount({ env: { DATABASE_URL: PG, WEB_CONCURRENCY: "2" }, dev: true, cores: 4 });
    expect(r).toEqual({ count: 1, note: expect.stringMatching(/development server runs in one process/) });
  });
});

describe("server.mjs listen port", () => {
  it("takes a PORT kept in a .env file, loaded as Next loads it; the process environment wins", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { loadEnvConfig } = await import("@next/env");
    const { listenPort } = await import("@/server-concurrency.mjs");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llavero-port-"));
    const saved = process.env.PORT;
    try {
      // `.env`: loaded in every mode (vitest runs with NODE_ENV=test, where Next skips .env.local).
      fs.writeFileSync(path.join(dir, ".env"), "PORT=3456\n");
      delete process.env.PORT;
      expect(listenPort({ cwd: dir, dev: true, loadEnvConfig })).toBe(3456);
      expect(listenPort({ cwd: dir, dev: true, loadEnvConfig, env: { PORT: "4000" } })).toBe(4000);
      expect(listenPort({ cwd: dir, dev: false, loadEnvConfig: () => {}, env: {} })).toBe(3000);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
