// Webhook history follows HISTORY_RETENTION_DAYS: usage maintenance purges old messages,
// deliveries and attempts, but never a message that is still being delivered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { runUsageMaintenance } from "@/lib/usage/maintenance";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { makeKey, makeTeam, type TeamFixture } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";

const DAY = 86_400_000;

describe.each(testDatabases())("webhook retention on $name", ({ open }) => {
  let t: TestDatabase;
  let team: TeamFixture;
  let endpointId: string;

  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
    team = await makeTeam(t.db);
    const actor = { userId: team.ownerId, teamId: team.teamId };
    ({
      endpoint: { id: endpointId },
    } = await createEndpoint(t.db, actor, { url: "http://127.0.0.1:9/retention", event_types: [], enabled: true }, { allowPrivate: true }));
  });
  afterAll(async () => {
    setDbForTesting(undefined);
    await t?.dispose();
  });

  /** A test message `ageDays` old whose one delivery is in `status`, with one attempt per `attemptAges` (days). */
  async function message(ageDays: number, status: string, attemptAges: number[]): Promise<string> {
    const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "retention" }, { endpointId });
    const at = new Date(Date.now() - ageDays * DAY);
    await t.db.query("update public.webhook_messages set created_at = $2 where event_id = $1", [eventId, at]);
    const { rows } = await t.db.query<{ id: string }>(
      `update public.webhook_deliveries d set status = $2, created_at = $3 from public.webhook_messages m
        where m.id = d.message_id and m.event_id = $1 returning d.id`,
      [eventId, status, at],
    );
    for (const age of attemptAges) {
      await t.db.query("insert into public.webhook_attempts (delivery_id, team_id, attempted_at, status_code) values ($1, $2, $3, 500)", [
        rows[0]!.id,
        team.teamId,
        new Date(Date.now() - age * DAY),
      ]);
    }
    return eventId;
  }

  async function left(): Promise<{ messages: string[]; attempts: number }> {
    const m = await t.db.query<{ event_id: string }>("select event_id from public.webhook_messages where team_id = $1 order by created_at", [team.teamId]);
    const a = await t.db.query<{ n: number }>("select count(*)::int as n from public.webhook_attempts where team_id = $1", [team.teamId]);
    return { messages: m.rows.map((r) => r.event_id), attempts: a.rows[0]!.n };
  }

  it("purges finished messages and attempts older than the retention period, keeps what is still in flight", async () => {
    const oldDelivered = await message(100, "delivered", [100]);
    const oldFailed = await message(95, "failed", [95, 94]);
    const oldRetrying = await message(100, "retrying", [100, 99]); // a replay in flight: kept whole
    const recentWithOldAttempt = await message(10, "delivered", [91, 10]); // resent long after; the old attempt goes
    const recent = await message(1, "delivered", [1]);
    // An expiry marker long past goes; a future one stays.
    const { key } = await makeKey(team);
    await t.db.query("insert into public.webhook_key_expiring_marks (key_id, expires_at) values ($1, now() - interval '100 days'), ($1, now() + interval '5 days')", [key.id]);

    expect((await left()).attempts).toBe(8);
    const result = await runUsageMaintenance(t.db, { retentionDays: 90 });
    const after = await left();
    expect(after.messages).toEqual([oldRetrying, recentWithOldAttempt, recent]);
    expect(after.messages).not.toContain(oldDelivered);
    expect(after.messages).not.toContain(oldFailed);
    // Kept: the retrying message's 2, the recent one's 10-day attempt, the 1-day one.
    expect(after.attempts).toBe(4);
    // 4 old attempts of finished deliveries (1 + 2 + the resent one's 91-day attempt), then 2 messages.
    expect(result.webhooksPurged).toBe(6);
    const marks = await t.db.query<{ n: number }>("select count(*)::int as n from public.webhook_key_expiring_marks where key_id = $1", [key.id]);
    expect(marks.rows[0]!.n).toBe(1);

    // Idempotent: nothing more to do.
    expect((await runUsageMaintenance(t.db, { retentionDays: 90 })).webhooksPurged).toBe(0);
    // A shorter retention purges the 10-day message (its 10-day attempt first, then the message).
    expect((await runUsageMaintenance(t.db, { retentionDays: 5 })).webhooksPurged).toBe(2);
    expect((await left()).messages).toEqual([oldRetrying, recent]);
  });

  it("users cannot call the purge", async () => {
    const { rows } = await t.db.query<{ ok: boolean }>("select has_function_privilege('authenticated', 'public.purge_webhook_history(timestamptz, integer)', 'execute') as ok");
    expect(rows[0]!.ok).toBe(false);
  });
});
