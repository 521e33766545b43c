import { describe, expect, it } from "vitest";
import { POST as validate } from "@/app/api/public/validate/route";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { collectOverage, drainOverageOutbox, overageIdentifier } from "@/lib/billing/overage";
import { setHardCap } from "@/lib/billing/overview";
import { startCheckout } from "@/lib/billing/sessions";
import { AppError } from "@/lib/errors";
import { createKey } from "@/lib/keys/lifecycle";
import { flushCallLog } from "@/lib/public-api/call-log";
import { apiRequest } from "../api-fixtures";
import { mulberry32 } from "@/lib/prng";
import { billingTeam, eventsFor, postWebhook, useBillingSuite } from "../billing-harness";
import { testDatabases } from "../databases";


describe.each(testDatabases())("metered overage on $name", ({ open }) => {
  const suite = useBillingSuite(open, { beforeClose: async () => { await flushCallLog(); } });

  async function proTeamAtQuota() {
    const f = await billingTeam(suite.t.db);
    const url = await startCheckout({ stripe: suite.h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan: "pro" });
    await fetch(`${url}/pay`, { method: "POST", redirect: "manual" });
    const sub = [...suite.h.standin.store.subscriptions.values()].at(-1)!;
    for (const e of eventsFor(suite.h.standin, sub.id)) expect((await postWebhook(webhook, e)).status).toBe(200);
    // The rate ceiling is not what this suite is about: Pro enforces at most 60 a minute per key
    // (whatever a key's own limit), so each round of calls gets a key of its own.
    const secrets: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { secret } = await createKey({ userId: f.owner, teamId: f.teamId, ip: "127.0.0.1" }, { name: `load ${i}`, scopes: ["validate"], ip_allowlist: [] });
      secrets.push(secret);
    }
    // The whole Pro quota is used already.
    await suite.t.db.query(
      "insert into public.team_usage (team_id, month, calls) values ($1, date_trunc('month', now() at time zone 'utc')::date, 2000)",
      [f.teamId],
    );
    const customer = (await suite.t.db.query<{ c: string }>("select stripe_customer_id as c from public.team_billing where team_id = $1", [f.teamId])).rows[0]!.c;
    const call = (round = 0) => validate(apiRequest("/api/public/validate", { key: secrets[round % secrets.length]!, body: { rfc: "GODE561231GR8" } })).then((r) => r.status);
    return { ...f, secret: secrets[0]!, customer, call };
  }

  it("reports exactly N overage calls over several minutes while Stripe fails at random, each identifier accepted once", async () => {
    const f = await proTeamAtQuota();
    const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const rounds = [23, 31, 17, 29];
    for (const [i, n] of rounds.entries()) {
      const statuses = await Promise.all(Array.from({ length: n }, () => f.call(i)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(await collectOverage(suite.t.db, { now: new Date(t0.getTime() + i * 60_000 + 5_000) })).toBe(n);
    }
    const N = rounds.reduce((a, b) => a + b, 0);
    const usage = await suite.t.db.query<{ overage: number }>("select overage from public.team_usage where team_id = $1", [f.teamId]);
    expect(usage.rows[0]!.overage).toBe(N);

    Object.assign(suite.h.standin.faults, { meter_event_failure_rate: 0.45, accept_then_fail_rate: 0.3, statuses: [500, 429] });
    const random = mulberry32(20261130);
    const realRandom = Math.random;
    Math.random = random;
    let passes = 0;
    try {
      for (; passes < 200; passes++) {
        const pending = await suite.t.db.query("select 1 from public.billing_overage_outbox where team_id = $1 and status = 'pending'", [f.teamId]);
        if (pending.rows.length === 0) break;
        await drainOverageOutbox(suite.t.db, suite.h.stripe, { now: new Date(t0.getTime() + 10 * 60_000 + passes * 1000), backoffMs: () => 0, maxAttempts: 200 });
      }
    } finally {
      Math.random = realRandom;
      Object.assign(suite.h.standin.faults, { meter_event_failure_rate: 0, accept_then_fail_rate: 0 });
    }
    expect(passes).toBeLessThan(200);

    const outbox = await suite.t.db.query<{ identifier: string; value: number; status: string; minute: Date }>(
      "select identifier, value, status, minute from public.billing_overage_outbox where team_id = $1 order by minute",
      [f.teamId],
    );
    expect(outbox.rows.map((r) => r.value)).toEqual(rounds);
    expect(outbox.rows.every((r) => r.status === "reported")).toBe(true);
    expect(outbox.rows.map((r) => r.identifier)).toEqual(outbox.rows.map((r) => overageIdentifier(f.teamId, new Date(r.minute))));
    const accepted = [...suite.h.standin.store.meterEvents.values()].filter((e) => e.customer === f.customer);
    expect(accepted.reduce((s, e) => s + e.value, 0)).toBe(N);
    expect(accepted.map((e) => e.identifier).sort()).toEqual(outbox.rows.map((r) => r.identifier).sort());
    // Each identifier accepted once, whatever the retries and the answers lost after acceptance.
    expect(suite.h.standin.store.meterEventAcceptances).toBe(suite.h.standin.store.meterEvents.size);

    const log = await suite.t.db.query<{ kind: string; n: string }>("select kind, count(*) as n from public.billing_events where team_id = $1 and kind like 'meter_event.%' group by kind", [f.teamId]);
    const kinds = Object.fromEntries(log.rows.map((r) => [r.kind, Number(r.n)]));
    expect(kinds["meter_event.reported"]).toBe(rounds.length);
    expect(kinds["meter_event.retry_scheduled"]).toBeGreaterThan(0);
    // Nothing new to collect, and nothing collected twice.
    expect(await collectOverage(suite.t.db, { now: new Date(t0.getTime() + 20 * 60_000) })).toBe(0);
  });

  it("records a failure when Stripe refuses a report for good", async () => {
    const f = await proTeamAtQuota();
    expect(await f.call()).toBe(200);
    const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    expect(await collectOverage(suite.t.db, { now: t0 })).toBe(1);
    await suite.t.db.query("update public.billing_overage_outbox set stripe_customer_id = 'cus_deleted' where team_id = $1", [f.teamId]);
    const r = await drainOverageOutbox(suite.t.db, suite.h.stripe, { now: new Date(t0.getTime() + 120_000) });
    expect(r.failed).toBe(1);
    const ev = await suite.t.db.query<{ kind: string }>("select kind from public.billing_events where team_id = $1 and kind = 'meter_event.failed'", [f.teamId]);
    expect(ev.rows).toHaveLength(1);
  });

  it("holds overage to the owner's hard cap exactly; only the owner sets it", async () => {
    const f = await proTeamAtQuota();
    await expect(setHardCap(f.admin, f.teamId, 0)).rejects.toBeInstanceOf(AppError);
    await expect(setHardCap(f.member, f.teamId, 0)).rejects.toMatchObject({ code: "forbidden" });
    await setHardCap(f.owner, f.teamId, 7);
    const statuses = await Promise.all(Array.from({ length: 20 }, f.call));
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(13);
    await setHardCap(f.owner, f.teamId, 0);
    await setHardCap(f.owner, f.teamId, null);
    expect(await f.call()).toBe(200);
  });
});
