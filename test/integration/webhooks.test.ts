import { beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { listDeliveries, replayFailedSince, resendDelivery } from "@/lib/webhooks/deliveries";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  sendTestEvent,
  setEndpointEnabled,
  type WebhookActor,
} from "@/lib/webhooks/endpoints";
import { RETRY_SCHEDULE_MS } from "@/lib/webhooks/schedule";
import { addMember, createUser, expectSqlState, queryAs } from "../fixtures";
import { makeTeam, type TeamFixture } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";
import type { Receiver } from "../webhook-receiver";
import { useWebhookSuite } from "../webhook-fixtures";

const ALLOW = { allowPrivate: true };

describe.each(testDatabases())("webhooks on $name", ({ open }) => {
  // One webhook suite's setup (test/webhook-fixtures.ts); the names the tests use, bound once it ran.
  const suite = useWebhookSuite(open);
  let t: TestDatabase;
  let team: TeamFixture;
  let owner: WebhookActor;
  let rx: Receiver;
  beforeAll(() => ({ t, team, owner, rx } = suite));

  const deliverDue = () => suite.deliverDue();

  async function deliveryOf(eventId: string) {
    const { rows } = await t.db.query<{ id: string; status: string; attempts: number; generation: number; next_attempt_at: Date | null; last_status: number | null; last_error: string | null; last_response_body: string | null }>(
      `select d.* from public.webhook_deliveries d join public.webhook_messages m on m.id = d.message_id where m.event_id = $1`,
      [eventId],
    );
    return rows;
  }

  it("creates an endpoint whose secret is shown once and never readable again", async () => {
    const { endpoint, secret } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await listEndpoints(t.db, owner);
    expect(listed.map((e) => e.id)).toEqual([endpoint.id]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));
    // Even the owner's own database role cannot read the secret columns.
    await expectSqlState(queryAs(t.db, owner.userId, "select secret from public.webhook_endpoints"), "42501");
    await expectSqlState(queryAs(t.db, owner.userId, "select previous_secret from public.webhook_endpoints"), "42501");
  });

  it("lets owners and admins manage endpoints; members see and do nothing", async () => {
    const admin = await createUser(t.db, `admin${Date.now()}@example.com`);
    const member = await createUser(t.db, `member${Date.now()}@example.com`);
    await addMember(t.db, team.teamId, admin, "admin");
    await addMember(t.db, team.teamId, member, "member");
    const { endpoint } = await createEndpoint(t.db, { userId: admin, teamId: team.teamId }, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    expect((await listEndpoints(t.db, owner)).length).toBe(1);
    await expect(listEndpoints(t.db, { userId: member, teamId: team.teamId })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createEndpoint(t.db, { userId: member, teamId: team.teamId }, { url: rx.url, event_types: [], enabled: true }, ALLOW)).rejects.toMatchObject({
      code: "forbidden",
    });
    // Row-level security on its own, without the app's check.
    expect(await queryAs(t.db, member, "select id from public.webhook_endpoints")).toEqual([]);
    expect(await queryAs(t.db, member, "select id from public.webhook_deliveries")).toEqual([]);
    expect(await queryAs(t.db, member, "delete from public.webhook_endpoints returning id")).toEqual([]);
    expect(await queryAs(t.db, admin, "select id from public.webhook_endpoints")).toEqual([{ id: endpoint.id }]);
    // Another team's owner sees nothing either.
    const other = await makeTeam(t.db, "free");
    expect(await queryAs(t.db, other.ownerId, "select id from public.webhook_endpoints")).toEqual([]);
    await expect(deleteEndpoint(t.db, { userId: other.ownerId, teamId: other.teamId }, endpoint.id)).rejects.toMatchObject({ code: "not_found" });
    await t.db.query("delete from public.team_members where team_id = $1 and user_id = any($2::uuid[])", [team.teamId, [admin, member]]);
  });

  it("delivers a signed message to a real receiver, verified with standardwebhooks", async () => {
    const { secret } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const eventId = await emitWebhookEvent(t.db, team.teamId, "key.revoked", { key_id: crypto.randomUUID(), key_name: "k", key_prefix: "sk_live_abcd" });
    expect(eventId).toMatch(/^msg_[a-f0-9]{32}$/);
    expect(await deliverDue()).toBe(1);
    expect(rx.received).toHaveLength(1);
    const [msg] = rx.verifyAll([secret]);
    expect(msg).toMatchObject({ type: "key.revoked", data: { key_name: "k" } });
    expect(Object.keys(msg!)).toEqual(["type", "timestamp", "data"]);
    expect(rx.received[0]!.headers["webhook-id"]).toBe(eventId);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(rx.received[0]!.body, rx.received[0]!.headers)).toThrow();
    const [d] = await deliveryOf(eventId);
    expect(d).toMatchObject({ status: "delivered", attempts: 1, last_status: 200, last_response_body: "ok" });
  });

  it("only sends to enabled endpoints subscribed to the type", async () => {
    await createEndpoint(t.db, owner, { url: rx.url, event_types: ["key.rotated"], enabled: true }, ALLOW);
    await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: false }, ALLOW);
    await emitWebhookEvent(t.db, team.teamId, "key.revoked", { key_id: crypto.randomUUID(), key_name: "k", key_prefix: "sk_live_abcd" });
    expect(await deliverDue()).toBe(0);
    expect(rx.received).toHaveLength(0);
  });

  it("signs with both secrets during a rotation's overlap; either verifies", async () => {
    const { endpoint, secret: oldSecret } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const { secret: newSecret, endpoint: after } = await rotateEndpointSecret(t.db, owner, endpoint.id);
    expect(newSecret).not.toBe(oldSecret);
    expect(new Date(after.previous_secret_expires_at!).getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    await sendTestEvent(t.db, owner, endpoint.id);
    await deliverDue();
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0]!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(rx.verifyAll([oldSecret])[0]!.type).toBe("webhook.test");
    expect(rx.verifyAll([newSecret])[0]!.type).toBe("webhook.test");
    // After the overlap only the new secret signs.
    await t.db.query("update public.webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = $1", [endpoint.id]);
    rx.received.length = 0;
    await sendTestEvent(t.db, owner, endpoint.id);
    await deliverDue();
    expect(rx.received[0]!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(() => rx.verifyAll([oldSecret])).toThrow();
    expect(rx.verifyAll([newSecret])).toHaveLength(1);
  });

  it("retries on the Svix schedule with the same webhook-id, then fails after 8 attempts", async () => {
    rx.respond = () => ({ status: 500, body: "x".repeat(3000) });
    const { endpoint, secret } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
    const [d0] = await deliveryOf(eventId);
    let clock = new Date("2026-12-01T00:00:00Z");
    const outcomes: string[] = [];
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      outcomes.push(await attemptDelivery(t.db, Number(d0!.id), 1, { now: () => clock, allowPrivate: true }));
      const [d] = await deliveryOf(eventId);
      expect(d!.attempts).toBe(i + 1);
      if (d!.next_attempt_at) {
        waits.push(new Date(d!.next_attempt_at).getTime() - clock.getTime());
        clock = new Date(d!.next_attempt_at);
      }
    }
    expect(outcomes).toEqual(["retrying", "retrying", "retrying", "retrying", "retrying", "retrying", "retrying", "failed"]);
    expect(waits).toEqual([...RETRY_SCHEDULE_MS]);
    expect(new Set(rx.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([eventId]));
    expect(rx.verifyAll([secret], { signedAtAnyTime: true })).toHaveLength(8);
    expect(rx.received.map((r) => Number(r.headers["webhook-timestamp"]) * 1000 - Date.parse("2026-12-01T00:00:00Z"))[1]).toBe(5_000);
    const [d] = await deliveryOf(eventId);
    expect(d).toMatchObject({ status: "failed", last_status: 500, next_attempt_at: null });
    expect(Buffer.byteLength(d!.last_response_body!)).toBe(1024);
    // Every attempt is logged, and each retry was queued as a job at its due time.
    const attempts = await t.db.query<{ n: number }>("select count(*)::int as n from public.webhook_attempts where delivery_id = $1", [d0!.id]);
    expect(attempts.rows[0]!.n).toBe(8);
    const jobs = await t.db.query<{ run_at: Date }>("select run_at from public.jobs where dedupe_key like $1 order by run_at", [`webhook.deliver:${d0!.id}:1:%`]);
    expect(jobs.rows).toHaveLength(8); // the first, then 7 retries
    // A job of an attempt already made finds nothing to do: no ninth request.
    expect(await attemptDelivery(t.db, Number(d0!.id), 1, { now: () => clock, allowPrivate: true })).toBe("skipped");
    expect(rx.received).toHaveLength(8);
  });

  it("never sends again after a 2xx, and does not follow redirects", async () => {
    let n = 0;
    rx.respond = () => (++n === 1 ? { status: 302, headers: { location: "http://127.0.0.1:1/elsewhere" } } : { status: 204 });
    const { endpoint } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
    const [d] = await deliveryOf(eventId);
    const clock = () => new Date();
    expect(await attemptDelivery(t.db, Number(d!.id), 1, { now: clock, allowPrivate: true })).toBe("retrying");
    expect(rx.received).toHaveLength(1); // the redirect was not followed
    expect((await deliveryOf(eventId))[0]!.last_status).toBe(302);
    expect(await attemptDelivery(t.db, Number(d!.id), 1, { now: clock, allowPrivate: true })).toBe("delivered");
    // The retry job queued after the 302 comes due later: it must not send again.
    expect(await attemptDelivery(t.db, Number(d!.id), 1, { now: clock, allowPrivate: true })).toBe("skipped");
    await t.db.query("update public.jobs set run_at = now() where dedupe_key like $1 and status = 'queued'", [`webhook.deliver:${d!.id}:%`]);
    await deliverDue();
    expect(rx.received).toHaveLength(2);
    expect(rx.received.map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId]);
  });

  it("honours Retry-After on 429 and 503", async () => {
    const { endpoint } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const now = new Date("2026-12-02T00:00:00Z");
    for (const status of [429, 503]) {
      rx.respond = () => ({ status, headers: { "retry-after": "3600" } });
      const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
      const [d] = await deliveryOf(eventId);
      await attemptDelivery(t.db, Number(d!.id), 1, { now: () => now, allowPrivate: true });
      const [after] = await deliveryOf(eventId);
      expect(new Date(after!.next_attempt_at!).getTime() - now.getTime()).toBe(3_600_000);
    }
    // On a 500 a Retry-After is not a reason to wait longer than the schedule.
    rx.respond = () => ({ status: 500, headers: { "retry-after": "3600" } });
    const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
    const [d] = await deliveryOf(eventId);
    await attemptDelivery(t.db, Number(d!.id), 1, { now: () => now, allowPrivate: true });
    expect(new Date((await deliveryOf(eventId))[0]!.next_attempt_at!).getTime() - now.getTime()).toBe(5_000);
  });

  it("disables the endpoint on 410", async () => {
    rx.respond = () => ({ status: 410 });
    const { endpoint } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
    await deliverDue();
    expect((await deliveryOf(eventId))[0]).toMatchObject({ status: "failed", last_status: 410, next_attempt_at: null });
    const [e] = await listEndpoints(t.db, owner);
    expect(e).toMatchObject({ enabled: false, disabled_reason: "gone" });
    // Nothing more goes to a disabled endpoint.
    await emitWebhookEvent(t.db, team.teamId, "key.revoked", { key_id: crypto.randomUUID(), key_name: "k", key_prefix: "sk_live_abcd" });
    await deliverDue();
    expect(rx.received).toHaveLength(1);
  });

  it("disables an endpoint that has failed continuously for 5 days, and a success resets the streak", async () => {
    rx.respond = () => ({ status: 500 });
    const { endpoint } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const start = new Date("2026-12-03T00:00:00Z");
    const attemptAt = async (at: Date) => {
      const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
      const [d] = await deliveryOf(eventId);
      return attemptDelivery(t.db, Number(d!.id), 1, { now: () => at, allowPrivate: true });
    };
    await attemptAt(start);
    rx.respond = () => ({ status: 200 });
    await attemptAt(new Date(start.getTime() + 3 * 86_400_000)); // success: streak over
    rx.respond = () => ({ status: 500 });
    const restart = new Date(start.getTime() + 4 * 86_400_000);
    await attemptAt(restart);
    await attemptAt(new Date(restart.getTime() + 5 * 86_400_000 - 60_000));
    expect((await listEndpoints(t.db, owner))[0]).toMatchObject({ enabled: true });
    await attemptAt(new Date(restart.getTime() + 5 * 86_400_000));
    expect((await listEndpoints(t.db, owner))[0]).toMatchObject({ enabled: false, disabled_reason: "failing" });
    // Enabling again gives it a fresh start.
    const enabled = await setEndpointEnabled(t.db, owner, endpoint.id, true);
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
  });

  it("refuses, at delivery, a name that now resolves to loopback (DNS rebinding)", async () => {
    // Saved while the operator allowed private addresses; delivered after it no longer does.
    const { endpoint } = await createEndpoint(t.db, owner, { url: `http://rebind.example:${rx.port}/hook`, event_types: [], enabled: true }, ALLOW);
    const lookups: string[] = [];
    const toLoopback = ((hostname: string, options: unknown, cb: (err: null, address: unknown, family?: number) => void) => {
      lookups.push(hostname);
      if ((options as { all?: boolean })?.all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
      else cb(null, "127.0.0.1", 4);
    }) as never;
    const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
    const [d] = await deliveryOf(eventId);
    expect(await attemptDelivery(t.db, Number(d!.id), 1, { allowPrivate: false, lookup: toLoopback })).toBe("retrying");
    expect(lookups).toEqual(["rebind.example"]);
    expect(rx.received).toHaveLength(0);
    const [after] = await deliveryOf(eventId);
    expect(after!.last_status).toBeNull();
    expect(after!.last_error).toMatch(/not allowed/);
    // The same lookup with the allowance on reaches the receiver: the lookup is what decided.
    await t.db.query("update public.webhook_deliveries set attempts = 0 where id = $1", [d!.id]);
    expect(await attemptDelivery(t.db, Number(d!.id), 1, { allowPrivate: true, lookup: toLoopback })).toBe("delivered");
    expect(rx.received).toHaveLength(1);
  });

  it("refuses loopback, private and metadata literals at delivery too", async () => {
    for (const host of ["127.0.0.1", "[::1]", "169.254.169.254", "10.0.0.1", "0.0.0.0"]) {
      const { endpoint } = await createEndpoint(t.db, owner, { url: `http://${host}:${rx.port}/hook`, event_types: [], enabled: true }, ALLOW);
      const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
      const [d] = await deliveryOf(eventId);
      expect(await attemptDelivery(t.db, Number(d!.id), 1, { allowPrivate: false }), host).toBe("retrying");
      expect((await deliveryOf(eventId))[0]!.last_error, host).toMatch(/not allowed/);
    }
    expect(rx.received).toHaveLength(0);
  });

  it("resends one delivery and replays failed ones since a time, with the same webhook-id", async () => {
    const { endpoint, secret } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const delivered = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "a" }, { endpointId: endpoint.id });
    await deliverDue();
    const [d] = await deliveryOf(delivered);
    await resendDelivery(t.db, owner, Number(d!.id));
    await deliverDue();
    expect(rx.received.map((r) => r.headers["webhook-id"])).toEqual([delivered, delivered]);
    expect((await deliveryOf(delivered))[0]).toMatchObject({ status: "delivered", generation: 2 });

    rx.respond = () => ({ status: 410 });
    const lost = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "b" }, { endpointId: endpoint.id });
    await deliverDue();
    expect((await deliveryOf(lost))[0]!.status).toBe("failed");
    rx.respond = () => ({ status: 200 });
    // Replay does nothing while the endpoint is disabled (410 disabled it)...
    expect(await replayFailedSince(t.db, owner, new Date(Date.now() - 3_600_000))).toBe(0);
    await setEndpointEnabled(t.db, owner, endpoint.id, true);
    // ...and nothing for failures before the given time.
    expect(await replayFailedSince(t.db, owner, new Date(Date.now() + 60_000))).toBe(0);
    expect(await replayFailedSince(t.db, owner, new Date(Date.now() - 3_600_000))).toBe(1);
    await deliverDue();
    expect((await deliveryOf(lost))[0]!.status).toBe("delivered");
    expect(rx.received.at(-1)!.headers["webhook-id"]).toBe(lost);
    expect(rx.verifyAll([secret])).toHaveLength(4);

    const list = await listDeliveries(t.db, owner, { limit: 50, endpoint_id: endpoint.id, status: "delivered", event_type: "webhook.test" });
    expect(list.map((l) => l.event_id).sort()).toEqual([delivered, lost].sort());
    expect(await listDeliveries(t.db, owner, { limit: 50, status: "failed" })).toEqual([]);
    expect(await listDeliveries(t.db, owner, { limit: 50, event_type: "key.revoked" })).toEqual([]);
  });
});
