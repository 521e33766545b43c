import { defineConfig } from "vitest/config";
import path from "node:path";
import { randomBytes } from "node:crypto";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "."), "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts") } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "test/**/*.test.ts", "stripe-standin/**/*.test.ts"],
    environment: "node",
    // The at-rest key for sealed secrets: one per run, inherited by the processes tests spawn
    // (the worker of webhook-crash.test.ts), so nothing writes a key file under .data/.
    env: { LLAVERO_ENCRYPTION_KEY: randomBytes(32).toString("base64") },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
