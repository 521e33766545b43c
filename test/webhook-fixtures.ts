import { afterAll, beforeAll, beforeEach } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { registerAllHandlers } from "@/lib/jobs/handlers";
import { runOnce } from "@/lib/jobs/worker";
import type { WebhookActor } from "@/lib/webhooks/endpoints";
import { makeTeam, type TeamFixture } from "./api-fixtures";
import { useAppDatabase, type AppDatabaseSuite, type TestDatabase } from "./databases";
import { startReceiver, type Receiver } from "./webhook-receiver";

/** WEBHOOKS_ALLOW_PRIVATE on or off, and the env cache reset so the app reads it. */
function allowPrivateDeliveryTargets(allowed: boolean): void {
  if (allowed) process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
  else delete process.env.WEBHOOKS_ALLOW_PRIVATE;
  resetEnvCache();
}

export interface WebhookSuite extends AppDatabaseSuite {
  /** A Business team with its owner (set once `beforeAll` has run). */
  team: TeamFixture;
  /** The team's owner as the webhook functions take it. */
  owner: WebhookActor;
  /** A local HTTP receiver the suite's endpoints point at; answers 200 "ok" unless a test says otherwise. */
  rx: Receiver;
  /** Runs the webhook delivery queue until nothing is due; returns how many jobs ran. */
  deliverDue(): Promise<number>;
}

/**
 * A webhook suite's setup: the app's database (useAppDatabase), private delivery addresses
 * allowed (the receiver is on 127.0.0.1), every job handler registered, a Business team and a
 * receiver. Before each test the receiver forgets what it got and answers 200 again, and the
 * team has no endpoints, so fan-out reaches only what the test creates. Call it in the describe
 * block; read the fields in tests and hooks.
 */
export function useWebhookSuite(open: () => Promise<TestDatabase>): WebhookSuite {
  beforeAll(() => allowPrivateDeliveryTargets(true));
  const base = useAppDatabase(open);
  const suite = Object.assign(base, {
    team: undefined as unknown as TeamFixture,
    owner: undefined as unknown as WebhookActor,
    rx: undefined as unknown as Receiver,
    async deliverDue(): Promise<number> {
      let total = 0;
      for (;;) {
        const n = await runOnce(suite.db, { queues: ["webhook.deliver"], log: () => {} });
        if (n === 0) return total;
        total += n;
      }
    },
  });
  beforeAll(async () => {
    registerAllHandlers();
    suite.team = await makeTeam(suite.db, "business");
    suite.owner = { userId: suite.team.ownerId, teamId: suite.team.teamId };
    suite.rx = await startReceiver();
  });
  afterAll(async () => {
    await suite.rx?.close();
    allowPrivateDeliveryTargets(false);
  });
  beforeEach(async () => {
    suite.rx.received.length = 0;
    suite.rx.respond = () => ({ status: 200, body: "ok" });
    await suite.db.query("delete from public.webhook_endpoints where team_id = $1", [suite.team.teamId]);
  });
  return suite;
}
