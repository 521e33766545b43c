import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { env, resetEnvCache } from "@/lib/env";
import { absoluteUrl } from "@/lib/site-url";
import { loadPortalEnv } from "../scripts/seed-support";

// npm run seed:demo printed http://localhost:3000 when APP_URL or PORT lived in the .env files
// the portal reads but the seed did not (.env.development, .env.development.local).
it("the seeds read the portal's own .env files, so the sign-in URL they print is the portal's", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llavero-seed-env-"));
  fs.writeFileSync(path.join(dir, ".env.development.local"), "APP_URL=https://portal.example.test\n");
  fs.writeFileSync(path.join(dir, ".env.development"), "PORT=3456\n");
  fs.writeFileSync(path.join(dir, ".env"), "PORT=3000\n");
  const saved = { ...process.env };
  try {
    delete process.env.PORT;
    delete process.env.APP_URL;
    // As `npm run seed:demo` runs (vitest itself sets NODE_ENV=test).
    Object.assign(process.env, { NODE_ENV: "development" });
    loadPortalEnv(dir);
    expect(env().PORT).toBe(3456);
    expect(absoluteUrl("/sign-in")).toBe("https://portal.example.test/sign-in");
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetEnvCache();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
