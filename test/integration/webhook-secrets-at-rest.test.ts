import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { atRestKeyring, setAtRestKeyringForTesting } from "@/lib/crypto/at-rest-key";
import { keyId, SealError } from "@/lib/crypto/seal";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { createEndpoint, rotateEndpointSecret, sendTestEvent, type WebhookActor } from "@/lib/webhooks/endpoints";
import { generateWebhookSecret, openWebhookSecret } from "@/lib/webhooks/secret";
import { sealStoredWebhookSecrets } from "@/lib/webhooks/secrets-at-rest";
import { expectSqlState, queryAs } from "../fixtures";
import { type TeamFixture } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";
import type { Receiver } from "../webhook-receiver";
import { useWebhookSuite } from "../webhook-fixtures";

const ALLOW = { allowPrivate: true };
const SEALED = /^sealed\.v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/;

describe.each(testDatabases())("webhook secrets encrypted at rest on $name", ({ open }) => {
  // One webhook suite's setup (test/webhook-fixtures.ts); the names the tests use, bound once it ran.
  const suite = useWebhookSuite(open);
  let t: TestDatabase;
  let team: TeamFixture;
  let owner: WebhookActor;
  let rx: Receiver;
  beforeAll(() => ({ t, team, owner, rx } = suite));
  afterEach(() => setAtRestKeyringForTesting(undefined));

  const deliverDue = () => suite.deliverDue();

  async function stored(id: string) {
    const { rows } = await t.db.query<{ secret: string; previous_secret: string | null }>("select secret, previous_secret from public.webhook_endpoints where id = $1", [id]);
    return rows[0]!;
  }

  /** Rows as a database from before encryption at rest holds them (the trigger now refuses clear writes). */
  async function legacyEndpoint(secret: string, previous: string | null = null): Promise<string> {
    const { endpoint } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    await t.db.exec("alter table public.webhook_endpoints disable trigger webhook_endpoints_refuse_clear_secret");
    try {
      await t.db.query(
        "update public.webhook_endpoints set secret = $2, previous_secret = $3, previous_secret_expires_at = case when $3::text is null then null else now() + interval '1 day' end where id = $1",
        [endpoint.id, secret, previous],
      );
    } finally {
      await t.db.exec("alter table public.webhook_endpoints enable trigger webhook_endpoints_refuse_clear_secret");
    }
    return endpoint.id;
  }

  /** Sends a test event to `id` and returns the one request the receiver got. */
  async function deliverTest(id: string) {
    rx.received.length = 0;
    await sendTestEvent(t.db, owner, id);
    expect(await deliverDue()).toBe(1);
    expect(rx.received).toHaveLength(1);
    return rx.received[0]!;
  }

  it("stores only the sealed secret; deliveries verify with the secret shown once", async () => {
    const { endpoint, secret } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const row = await stored(endpoint.id);
    expect(row.secret).toMatch(SEALED);
    expect(row.secret.split(".")[2]).toBe(keyId(atRestKeyring().current));
    const dump = JSON.stringify((await t.db.query("select to_jsonb(e)::text as j from public.webhook_endpoints e")).rows);
    expect(dump).not.toContain("whsec_");
    expect(dump).not.toContain(secret.slice(6));
    // Users still cannot read the columns, sealed or not.
    await expectSqlState(queryAs(t.db, owner.userId, "select secret from public.webhook_endpoints"), "42501");
    await expectSqlState(queryAs(t.db, owner.userId, "select previous_secret from public.webhook_endpoints"), "42501");

    await emitWebhookEvent(t.db, team.teamId, "key.revoked", { key_id: crypto.randomUUID(), key_name: "k", key_prefix: "sk_live_abcd" });
    expect(await deliverDue()).toBe(1);
    const got = rx.received[0]!;
    expect(new Webhook(secret).verify(got.body, got.headers)).toMatchObject({ type: "key.revoked" });
    expect(() => new Webhook(generateWebhookSecret()).verify(got.body, got.headers)).toThrow();
  });

  it("a rotation keeps both secrets sealed and signs with both for the overlap", async () => {
    const { endpoint, secret: oldSecret } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const before = await stored(endpoint.id);
    const { secret: newSecret } = await rotateEndpointSecret(t.db, owner, endpoint.id);
    const after = await stored(endpoint.id);
    expect(after.secret).toMatch(SEALED);
    expect(after.previous_secret).toBe(before.secret); // moved as is
    expect(JSON.stringify(after)).not.toContain("whsec_");
    const got = await deliverTest(endpoint.id);
    expect(got.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(got.body, got.headers)).toMatchObject({ type: "webhook.test" });
    expect(new Webhook(newSecret).verify(got.body, got.headers)).toMatchObject({ type: "webhook.test" });
  });

  it("the database refuses a secret written in clear, on insert and on update", async () => {
    const { endpoint } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const clear = generateWebhookSecret();
    await expectSqlState(
      t.db.query("insert into public.webhook_endpoints (team_id, url, secret) values ($1, 'https://1.1.1.1/x', $2)", [team.teamId, clear]),
      "23514",
    );
    await expectSqlState(t.db.query("update public.webhook_endpoints set secret = $2 where id = $1", [endpoint.id, clear]), "23514");
    await expectSqlState(t.db.query("update public.webhook_endpoints set previous_secret = $2 where id = $1", [endpoint.id, clear]), "23514");
    await expectSqlState(t.db.query("update public.webhook_endpoints set secret = 'sealed.v1.nothex' where id = $1", [endpoint.id]), "23514");
  });

  it("legacy clear rows keep signing, are sealed in place by the start-up pass, and still sign after", async () => {
    const clear = generateWebhookSecret();
    const clearPrevious = generateWebhookSecret();
    const id = await legacyEndpoint(clear, clearPrevious);
    // Before the pass: a legacy row still signs, and can be edited (the trigger only refuses new clear values).
    let got = await deliverTest(id);
    expect(new Webhook(clear).verify(got.body, got.headers)).toBeTruthy();
    expect(new Webhook(clearPrevious).verify(got.body, got.headers)).toBeTruthy();
    await t.db.query("update public.webhook_endpoints set description = 'edited' where id = $1", [id]);

    // Two processes at once: each row is sealed once, nothing lost.
    const [a, b] = await Promise.all([sealStoredWebhookSecrets(t.db), sealStoredWebhookSecrets(t.db)]);
    expect(a.sealed + b.sealed).toBe(1);
    const row = await stored(id);
    expect(row.secret).toMatch(SEALED);
    expect(row.previous_secret).toMatch(SEALED);
    expect(JSON.stringify(row)).not.toContain("whsec_");
    expect(openWebhookSecret(row.secret, id)).toBe(clear);
    expect(openWebhookSecret(row.previous_secret!, id)).toBe(clearPrevious);
    expect(await sealStoredWebhookSecrets(t.db)).toEqual({ sealed: 0, unreadable: [] }); // idempotent

    got = await deliverTest(id);
    expect(new Webhook(clear).verify(got.body, got.headers)).toBeTruthy();
    expect(new Webhook(clearPrevious).verify(got.body, got.headers)).toBeTruthy();
  });

  it("seals legacy rows in batches, and a rotation of a legacy row seals the old secret on the way", async () => {
    const secrets = Array.from({ length: 5 }, () => generateWebhookSecret());
    const ids: string[] = [];
    for (const s of secrets) ids.push(await legacyEndpoint(s));
    const { secret: rotated } = await rotateEndpointSecret(t.db, owner, ids[0]!);
    const first = await stored(ids[0]!);
    expect(first.secret).toMatch(SEALED);
    expect(first.previous_secret).toMatch(SEALED);
    expect(openWebhookSecret(first.previous_secret!, ids[0]!)).toBe(secrets[0]);
    expect(await sealStoredWebhookSecrets(t.db, atRestKeyring(), 2)).toEqual({ sealed: 4, unreadable: [] });
    for (const [i, id] of ids.entries()) expect(openWebhookSecret((await stored(id)).secret, id)).toBe(i === 0 ? rotated : secrets[i]);
  });

  it("rotating the at-rest key: the previous key opens, the pass re-seals under the new one", async () => {
    const { endpoint, secret } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const oldKey = atRestKeyring().current;
    const newKey = randomBytes(32);
    setAtRestKeyringForTesting({ current: newKey, previous: [oldKey] });
    let got = await deliverTest(endpoint.id); // opens with the previous key
    expect(new Webhook(secret).verify(got.body, got.headers)).toBeTruthy();
    expect(await sealStoredWebhookSecrets(t.db)).toEqual({ sealed: 1, unreadable: [] });
    expect((await stored(endpoint.id)).secret.split(".")[2]).toBe(keyId(newKey));
    setAtRestKeyringForTesting({ current: newKey }); // the old key can go now
    got = await deliverTest(endpoint.id);
    expect(new Webhook(secret).verify(got.body, got.headers)).toBeTruthy();
  });

  it("a wrong key fails with a clear error: nothing is sent, and the pass leaves the row alone", async () => {
    const { endpoint } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const before = await stored(endpoint.id);
    const sealedWith = keyId(atRestKeyring().current);
    const wrong = randomBytes(32);
    setAtRestKeyringForTesting({ current: wrong });
    const eventId = await emitWebhookEvent(t.db, team.teamId, "webhook.test", { message: "m" }, { endpointId: endpoint.id });
    const { rows } = await t.db.query<{ id: number }>(
      "select d.id from public.webhook_deliveries d join public.webhook_messages m on m.id = d.message_id where m.event_id = $1",
      [eventId],
    );
    const err = await attemptDelivery(t.db, rows[0]!.id, 1, { allowPrivate: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SealError);
    expect((err as SealError).reason).toBe("unknown_key");
    expect((err as Error).message).toContain(`sealed with key ${sealedWith}, which is not configured`);
    expect((err as Error).message).not.toContain("whsec_");
    expect(rx.received).toHaveLength(0);
    expect(await sealStoredWebhookSecrets(t.db)).toEqual({ sealed: 0, unreadable: [endpoint.id] });
    expect(await stored(endpoint.id)).toEqual(before);
  });

  it("a sealed secret copied onto another endpoint does not open there", async () => {
    const { endpoint: a } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    const { endpoint: b } = await createEndpoint(t.db, owner, { url: rx.url, event_types: [], enabled: true }, ALLOW);
    await t.db.query("update public.webhook_endpoints set secret = (select secret from public.webhook_endpoints where id = $1) where id = $2", [a.id, b.id]);
    const copied = (await stored(b.id)).secret;
    expect(openWebhookSecret(copied, a.id)).toMatch(/^whsec_/);
    let reason = "";
    try {
      openWebhookSecret(copied, b.id);
    } catch (err) {
      reason = (err as SealError).reason;
    }
    expect(reason).toBe("auth_failed");
  });
});
