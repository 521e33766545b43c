import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { openPglite } from "@/lib/db/pglite";
import type { Database } from "@/lib/db/types";
import { generateWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/secret";
import { sealStoredWebhookSecrets } from "@/lib/webhooks/secrets-at-rest";
import { createTeamAs, createUser } from "../fixtures";
import { dumpDatabase, findSecrets } from "../../e2e/secrets-sweep";

// The sweep's Playwright-only neighbours, replaced by what it reads from them.
vi.mock("../../e2e/fixtures", () => ({ OBSERVED_SECRETS_FILE: "/nonexistent" }));
vi.mock("../../e2e/helpers", () => ({ PASSWORD: "correct horse battery staple" }));

/** The e2e secrets sweep, on an embedded database holding webhook endpoints as a deployment does. */
describe("the e2e secrets sweep searches webhook secret columns", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llavero-sweep-"));
  const dataDir = path.join(dir, "pglite");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    const db = await openPglite(dataDir);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  it("finds a clear whsec_ left in the secret column, and nothing once the app has sealed it", async () => {
    const clear = generateWebhookSecret();
    await withDb(async (db) => {
      await migrate(db, { installAuthStandIn: true });
      const owner = await createUser(db, "sweep@example.com");
      const team = await createTeamAs(db, owner, "Sweep");
      const sealedId = crypto.randomUUID();
      await db.query("insert into public.webhook_endpoints (id, team_id, url, secret) values ($1, $2, 'https://1.1.1.1/a', $3)", [
        sealedId,
        team,
        sealWebhookSecret(generateWebhookSecret(), sealedId),
      ]);
      // A row from before encryption at rest.
      await db.exec("alter table public.webhook_endpoints disable trigger webhook_endpoints_refuse_clear_secret");
      await db.query("insert into public.webhook_endpoints (team_id, url, secret) values ($1, 'https://1.1.1.1/b', $2)", [team, clear]);
      await db.exec("alter table public.webhook_endpoints enable trigger webhook_endpoints_refuse_clear_secret");
    });
    let dump = await dumpDatabase(dataDir);
    expect(dump.text).toContain('"secret": "sealed.v1.');
    expect(findSecrets(dump.text, "database", [])).toEqual([`database: a webhook secret (${clear.slice(0, 8)}…)`]);

    await withDb((db) => sealStoredWebhookSecrets(db));
    dump = await dumpDatabase(dataDir);
    expect(findSecrets(dump.text, "database", [])).toEqual([]);
    expect(dump.text).not.toContain(clear.slice(6));
  });
});
