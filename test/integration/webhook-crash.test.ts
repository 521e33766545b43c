import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { recoverStale } from "@/lib/jobs/queue";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { makeTeam } from "../api-fixtures";
import { openPostgresTestDb, type TestDatabase } from "../databases";
import { startReceiver, type Receiver } from "../webhook-receiver";

const MESSAGES = 20;

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `npm run worker` as its own process (node + tsx's loader in one process, so SIGKILL hits the
 * worker itself), with short retry delays so the retries happen within the test.
 */
function startWorker(url: string, log: string[]): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      WEBHOOKS_ALLOW_PRIVATE: "true",
      WEBHOOKS_RETRY_SCHEDULE_MS: "300,300,300,300,300,300,300",
      NODE_ENV: "test",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => log.push(d.toString()));
  return child;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("webhook deliveries survive kill -9 of the worker (PostgreSQL)", () => {
  let t: TestDatabase;
  let rx: Receiver;
  let worker: ChildProcess | undefined;
  const log: string[] = [];

  beforeAll(async () => {
    t = await openPostgresTestDb(5);
    setDbForTesting(t.db);
    rx = await startReceiver();
  });
  afterAll(async () => {
    worker?.kill("SIGKILL");
    await rx?.close();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  it("delivers every message exactly once to a receiver that answers 2xx, across kill -9 and restart", { timeout: 90_000 }, async () => {
    const team = await makeTeam(t.db, "business");
    const { endpoint, secret } = await createEndpoint(t.db, { userId: team.ownerId, teamId: team.teamId }, { url: rx.url, event_types: [], enabled: true }, { allowPrivate: true });
    // The receiver is down (500, slowly) while the first worker runs.
    let up = false;
    rx.respond = () => (up ? { status: 200, body: "ok" } : { status: 500, body: "down", delayMs: 150 });
    const ids: string[] = [];
    for (let i = 0; i < MESSAGES; i++) ids.push(await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: `m${i}` }, { endpointId: endpoint.id }));

    worker = startWorker(t.url!, log);
    const attemptsAtLeast = (n: number) => async () => {
      const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from public.webhook_deliveries where endpoint_id = $1 and attempts >= $2", [endpoint.id, n]);
      return rows[0]!.n === MESSAGES;
    };
    await waitFor(attemptsAtLeast(2), 40_000, `every delivery to have 2 attempts (worker log: ${log.join("")})`);
    const first = worker;
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    expect(first.signalCode).toBe("SIGKILL");
    const beforeRestart = rx.received.length;
    expect(beforeRestart).toBeGreaterThanOrEqual(2 * MESSAGES);
    expect(rx.received.every((r) => r.answered === 500)).toBe(true);

    // The receiver comes back; the visibility timeout of any job the killed worker held passes.
    up = true;
    await recoverStale(t.db, 0);
    worker = startWorker(t.url!, log);
    const allDelivered = async () => {
      const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from public.webhook_deliveries where endpoint_id = $1 and status = 'delivered'", [endpoint.id]);
      return rows[0]!.n === MESSAGES;
    };
    await waitFor(allDelivered, 40_000, `every delivery to be delivered (worker log: ${log.join("")})`);
    // Give a wrongly queued extra attempt time to show itself.
    await new Promise((r) => setTimeout(r, 2_000));
    worker.kill("SIGTERM");
    await new Promise((r) => worker!.once("exit", r));
    worker = undefined;

    for (const id of ids) {
      const forId = rx.received.filter((r) => r.headers["webhook-id"] === id);
      const oks = forId.filter((r) => r.answered === 200);
      expect(oks, id).toHaveLength(1);
      // Nothing after the 2xx: the success is the last request for that id.
      expect(forId.at(-1)!.answered, id).toBe(200);
    }
    expect(new Set(rx.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set(ids));
    expect(rx.verifyAll([secret])).toHaveLength(rx.received.length);
    const jobs = await t.db.query<{ n: number }>("select count(*)::int as n from public.jobs where queue = 'webhook.deliver' and status in ('queued', 'running')");
    expect(jobs.rows[0]!.n).toBe(0);
  });
});
