import { beforeAll, describe, expect, it } from "vitest";
import { runBillingMaintenance } from "@/lib/billing/maintenance";
import { IDEMPOTENCY_RETENTION_MS, purgeIdempotencyRows } from "@/lib/public-api/idempotency-retention";
import { IDEMPOTENCY_TTL_HOURS, runIdempotent, type IdempotentRequest } from "@/lib/public-api/idempotency";
import { makeKey, makeTeam } from "../api-fixtures";
import { testDatabases, useAppDatabase } from "../databases";

const HOUR = 3_600_000;

/** What the hourly retention pass (lib/billing/maintenance.ts) deletes, and what it must keep. */
describe.each(testDatabases())("maintenance retention on $name", ({ name, open }) => {
  const suite = useAppDatabase(open);
  let keyId: string;
  let seq = 0;

  beforeAll(async () => {
    const team = await makeTeam(suite.db, "business");
    keyId = (await makeKey(team)).key.id;
  });

  /** An idempotency row of the test key, `ageMs` old at `now`. Returns its Idempotency-Key. */
  async function idempotencyRow(now: Date, ageMs: number): Promise<string> {
    const idemKey = `retention-${++seq}`;
    await suite.db.query(
      `insert into public.api_idempotency (key_id, idempotency_key, method, path, request_hash, response_status, response_body, created_at)
       values ($1, $2, 'POST', '/api/public/keys', $3, 201, '{}'::jsonb, $4)`,
      [keyId, idemKey, "0".repeat(64), new Date(now.getTime() - ageMs)],
    );
    return idemKey;
  }

  const remaining = async (keys: string[]) =>
    (await suite.db.query<{ idempotency_key: string }>("select idempotency_key from public.api_idempotency where idempotency_key = any($1) order by 1", [keys])).rows.map(
      (r) => r.idempotency_key,
    );

  it("the hourly pass deletes idempotent answers past their window, and throttle rows past a day", async () => {
    const now = new Date();
    const old = [await idempotencyRow(now, 30 * HOUR), await idempotencyRow(now, IDEMPOTENCY_RETENTION_MS + 60_000)];
    // Past the 24-hour replay window but inside the hour's margin: dead already, kept by the purge.
    const margin = await idempotencyRow(now, IDEMPOTENCY_TTL_HOURS * HOUR + 10 * 60_000);
    const live = await idempotencyRow(now, 23 * HOUR);
    await suite.db.query(
      `insert into auth.llavero_sign_in_failures (email, ip, failed_at) values ('retention-old@example.com', '198.51.100.7', $1), ('retention-new@example.com', '198.51.100.7', $2)`,
      [new Date(now.getTime() - 25 * HOUR), new Date(now.getTime() - 20 * 60_000)],
    );
    await suite.db.query("insert into auth.llavero_sign_up_attempts (ip, attempted_at) values ('198.51.100.8', $1), ('198.51.100.8', $2)", [
      new Date(now.getTime() - 25 * HOUR),
      new Date(now.getTime() - 30 * 60_000),
    ]);

    await runBillingMaintenance(suite.db, { graceDays: 7, stripe: null, now });

    expect(await remaining([...old, margin, live])).toEqual([margin, live].sort());
    expect((await suite.db.query("select email from auth.llavero_sign_in_failures where email like 'retention-%'")).rows).toEqual([{ email: "retention-new@example.com" }]);
    expect((await suite.db.query<{ n: number }>("select count(*)::int as n from auth.llavero_sign_up_attempts where ip = '198.51.100.8'")).rows[0]!.n).toBe(1);
  });

  it("keeps an answer replayable for its whole window, and a retry after the purge runs afresh", async () => {
    const req: IdempotentRequest = { keyId, secret: "sk_live_retention-test-secret", idemKey: `replay-${++seq}`, method: "POST", path: "/api/public/keys", body: "{}", status: 201 };
    let runs = 0;
    const handler = async () => ({ body: { run: ++runs } });
    expect((await runIdempotent(suite.db, req, handler)).body).toEqual({ run: 1 });

    // 23 hours on, the purge leaves the answer: a retry gets it back without running again.
    await purgeIdempotencyRows(suite.db, new Date(Date.now() + 23 * HOUR));
    expect(await remaining([req.idemKey])).toEqual([req.idemKey]);
    const replayed = await runIdempotent(suite.db, req, handler);
    expect(replayed.body).toEqual({ run: 1 });
    expect(replayed.headers).toEqual({ "idempotent-replayed": "true" });

    // Past the window and its margin the row goes; the same Idempotency-Key is then a new request.
    expect(await purgeIdempotencyRows(suite.db, new Date(Date.now() + IDEMPOTENCY_RETENTION_MS + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await remaining([req.idemKey])).toEqual([]);
    expect((await runIdempotent(suite.db, req, handler)).body).toEqual({ run: 2 });
  });

  it("two processes purging at once split the rows, in batches, without errors", async () => {
    const now = new Date();
    const rows = await Promise.all(Array.from({ length: 40 }, (_, i) => idempotencyRow(now, 26 * HOUR + i * 1000)));
    const counts = await Promise.all([purgeIdempotencyRows(suite.db, now, 7), purgeIdempotencyRows(suite.db, now, 7)]);
    expect(counts[0]! + counts[1]!).toBe(rows.length);
    expect(await remaining(rows)).toEqual([]);
  });

  it.skipIf(name === "pglite")("never waits on a row another transaction holds; a later pass takes it", async () => {
    const now = new Date();
    const held = await idempotencyRow(now, 30 * HOUR);
    const free = await idempotencyRow(now, 30 * HOUR);
    await suite.db.transaction(async (tx) => {
      await tx.query("select 1 from public.api_idempotency where key_id = $1 and idempotency_key = $2 for update", [keyId, held]);
      // On another connection of the pool, while the lock is held: returns at once, without `held`.
      expect(await purgeIdempotencyRows(suite.db, now)).toBe(1);
    });
    expect(await remaining([held, free])).toEqual([held]);
    expect(await purgeIdempotencyRows(suite.db, now)).toBe(1);
    expect(await remaining([held, free])).toEqual([]);
  });
});
