import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/stripe/webhook/route";
import { startCheckout } from "@/lib/billing/sessions";
import { resetStripeClient } from "@/lib/billing/stripe-client";
import { runBillingMaintenance } from "@/lib/billing/maintenance";
import { reevaluateBilling } from "@/lib/billing/sync";
import { resetEnvCache } from "@/lib/env";
import { nowSec, type StripeObject } from "@/stripe-standin/store";
import { billingTeam, eventsFor, postWebhook, useBillingSuite } from "../billing-harness";
import { testDatabases } from "../databases";

describe.each(testDatabases())("Stripe webhooks on $name", ({ open }) => {
  const suite = useBillingSuite(open);

  /** A team that went through Checkout and Pay on the stand-in; events are not delivered yet. */
  async function paidTeam(plan: "pro" | "business" = "pro") {
    const f = await billingTeam(suite.t.db);
    const url = await startCheckout({ stripe: suite.h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan });
    const res = await fetch(`${url}/pay`, { method: "POST", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^http:\/\/localhost:3000\/billing\?checkout=success&session_id=cs_test_/);
    const sub = [...suite.h.standin.store.subscriptions.values()].at(-1)!;
    return { ...f, sub };
  }
  const control = (sub: StripeObject, action: string) => fetch(`${suite.h.standin.url}/_standin/subscriptions/${sub.id}/${action}`, { method: "POST" });
  const deliver = (e: StripeObject, opts?: { secret?: string; timestamp?: number }) => postWebhook(POST, e, opts);
  const teamState = async (teamId: string) =>
    (
      await suite.t.db.query<{ plan: string; status: string | null; past_due_since: Date | null; cancel_at_period_end: boolean | null; trial_end: Date | null }>(
        "select t.plan, b.status, b.past_due_since, b.cancel_at_period_end, b.trial_end from public.teams t left join public.team_billing b on b.team_id = t.id where t.id = $1",
        [teamId],
      )
    ).rows[0]!;
  const count = async (sql: string, params: unknown[] = []) => Number((await suite.t.db.query<{ n: string }>(sql, params)).rows[0]!.n);

  it("applies Checkout → Pay in Stripe's order: Pro, trialing, 15 days", async () => {
    const f = await paidTeam();
    const events = eventsFor(suite.h.standin, f.sub.id as string);
    expect(events.map((e) => e.type)).toEqual(["customer.subscription.created", "checkout.session.completed", "invoice.paid"]);
    for (const e of events) expect(await deliver(e)).toMatchObject({ status: 200, body: { outcome: "applied" } });
    const s = await teamState(f.teamId);
    expect(s).toMatchObject({ plan: "pro", status: "trialing", cancel_at_period_end: false });
    expect(Math.ceil((new Date(s.trial_end!).getTime() - Date.now()) / 86_400_000)).toBe(15);
    expect(await count("select count(*) as n from public.billing_events where team_id = $1 and kind = 'subscription.synced'", [f.teamId])).toBe(3);
  });

  it("answers a replayed event 200 and changes nothing", async () => {
    const f = await paidTeam("business");
    const [created] = eventsFor(suite.h.standin, f.sub.id as string, "customer.subscription.created");
    expect((await deliver(created!)).body.outcome).toBe("applied");
    const before = await count("select count(*) as n from public.billing_events where team_id = $1", [f.teamId]);
    const again = await Promise.all([deliver(created!), deliver(created!)]);
    expect(again.map((r) => [r.status, r.body.outcome])).toEqual([[200, "duplicate"], [200, "duplicate"]]);
    expect(await count("select count(*) as n from public.billing_events where team_id = $1", [f.teamId])).toBe(before);
    expect((await teamState(f.teamId)).plan).toBe("business");
  });

  it("ends right when updated arrives before created, and invoice.paid before checkout.session.completed", async () => {
    const f = await paidTeam();
    await control(f.sub, "renew");
    const updated = eventsFor(suite.h.standin, f.sub.id as string, "customer.subscription.updated").at(-1)!;
    const [created] = eventsFor(suite.h.standin, f.sub.id as string, "customer.subscription.created");
    const paid = eventsFor(suite.h.standin, f.sub.id as string, "invoice.paid");
    const [completed] = eventsFor(suite.h.standin, f.sub.id as string, "checkout.session.completed");
    // Newest first: every event re-reads the subscription, so the stale ones cannot undo the renewal.
    await deliver(updated);
    await deliver(paid.at(-1)!);
    await deliver(paid[0]!);
    await deliver(completed!);
    await deliver(created!);
    expect(await teamState(f.teamId)).toMatchObject({ plan: "pro", status: "active" });
  });

  it("past_due keeps the plan for the grace period, then Free limits; paying restores it at once", async () => {
    const f = await paidTeam();
    for (const e of eventsFor(suite.h.standin, f.sub.id as string)) await deliver(e);
    await suite.t.db.query("insert into public.api_keys (team_id, created_by, name, prefix, last4, rate_limit_per_minute) values ($1, $2, 'fast', 'sk_live_zzzz', 'a1b2', 60)", [f.teamId, f.owner]);
    await control(f.sub, "payment_failed");
    const failed = eventsFor(suite.h.standin, f.sub.id as string, "invoice.payment_failed").at(-1)!;
    expect((await deliver(failed)).body.outcome).toBe("applied");
    expect(await teamState(f.teamId)).toMatchObject({ plan: "pro", status: "past_due" });
    expect(await count("select count(*) as n from public.billing_events where team_id = $1 and kind = 'invoice.payment_failed'", [f.teamId])).toBe(1);
    // Six days on: still inside the default 7-day grace period.
    expect(await reevaluateBilling(suite.t.db, { graceDays: 7, now: new Date(Date.now() + 6 * 86_400_000) })).toBe(0);
    expect((await teamState(f.teamId)).plan).toBe("pro");
    await reevaluateBilling(suite.t.db, { graceDays: 7, now: new Date(Date.now() + 8 * 86_400_000) });
    expect((await teamState(f.teamId)).plan).toBe("free");
    // Free limits apply through the plan's ceiling (verify_api_call enforces least(key, ceiling));
    // the key keeps the limit its owner chose, so paying gives it back (issue 13).
    const key = await suite.t.db.query<{ r: number }>("select rate_limit_per_minute as r from public.api_keys where team_id = $1", [f.teamId]);
    expect(key.rows[0]!.r).toBe(60);
    await control(f.sub, "renew");
    expect((await deliver(eventsFor(suite.h.standin, f.sub.id as string, "invoice.paid").at(-1)!)).body.outcome).toBe("applied");
    expect(await teamState(f.teamId)).toMatchObject({ plan: "pro", status: "active", past_due_since: null });
  });

  it("calls onSubscriptionChanged once per change of plan or status, never for a re-sync of the same state", async () => {
    const f = await paidTeam();
    const changes = async () =>
      (await suite.t.db.query<{ detail: unknown }>("select detail from public.billing_events where team_id = $1 and kind = 'subscription.changed' order by id", [f.teamId])).rows.map((r) => r.detail);
    for (const e of eventsFor(suite.h.standin, f.sub.id as string)) await deliver(e);
    // Three events, one change: the later two re-read the same trialing subscription.
    expect(await changes()).toEqual([{ plan: "pro", status: "trialing", previous: { plan: "free", status: "free" } }]);
    await control(f.sub, "payment_failed");
    const failed = eventsFor(suite.h.standin, f.sub.id as string, "invoice.payment_failed").at(-1)!;
    await deliver(failed);
    await deliver(failed);
    await reevaluateBilling(suite.t.db, { graceDays: 7, now: new Date(Date.now() + 6 * 86_400_000) });
    await reevaluateBilling(suite.t.db, { graceDays: 7, now: new Date(Date.now() + 8 * 86_400_000) });
    await reevaluateBilling(suite.t.db, { graceDays: 7, now: new Date(Date.now() + 9 * 86_400_000) });
    await control(f.sub, "renew");
    await deliver(eventsFor(suite.h.standin, f.sub.id as string, "invoice.paid").at(-1)!);
    expect(await changes()).toEqual([
      { plan: "pro", status: "trialing", previous: { plan: "free", status: "free" } },
      { plan: "pro", status: "past_due", previous: { plan: "pro", status: "trialing" } },
      { plan: "free", status: "past_due", previous: { plan: "pro", status: "past_due" } },
      { plan: "pro", status: "active", previous: { plan: "free", status: "past_due" } },
    ]);
    // Each change is also a subscription.updated webhook message for the team, in the same order.
    const messages = await suite.t.db.query<{ data: unknown }>(
      "select payload -> 'data' as data from public.webhook_messages where team_id = $1 and type = 'subscription.updated' order by created_at, id",
      [f.teamId],
    );
    expect(messages.rows.map((r) => r.data)).toEqual([
      { plan: "pro", status: "trialing" },
      { plan: "pro", status: "past_due" },
      { plan: "free", status: "past_due" },
      { plan: "pro", status: "active" },
    ]);
  });

  it("the maintenance loop forgets Stripe event ids after 30 days and billing log rows after 400, and nothing newer", async () => {
    const f = await paidTeam();
    const events = eventsFor(suite.h.standin, f.sub.id as string);
    for (const e of events) await deliver(e);
    const ids = events.map((e) => e.id as string);
    await suite.t.db.query("update public.stripe_events set received_at = now() - interval '31 days' where id = $1", [ids[0]]);
    await suite.t.db.query("update public.stripe_events set received_at = now() - interval '29 days' where id = $1", [ids[1]]);
    const logged = await count("select count(*) as n from public.billing_events where team_id = $1", [f.teamId]);
    await suite.t.db.query(
      "update public.billing_events set created_at = now() - interval '401 days' where id = (select min(id) from public.billing_events where team_id = $1)",
      [f.teamId],
    );
    await runBillingMaintenance(suite.t.db, { graceDays: 7, stripe: null });
    expect(await count("select count(*) as n from public.stripe_events where id = any($1::text[])", [ids])).toBe(ids.length - 1);
    expect(await count("select count(*) as n from public.stripe_events where id = $1", [ids[0]])).toBe(0);
    expect(await count("select count(*) as n from public.billing_events where team_id = $1", [f.teamId])).toBe(logged - 1);
    // Forgotten means a very late replay would be applied again: it re-reads Stripe, so the state stays right.
    expect((await deliver(events[0]!)).body.outcome).toBe("applied");
    expect(await teamState(f.teamId)).toMatchObject({ plan: "pro", status: "trialing" });
  });

  it("cancel at period end keeps the plan until the end; deletion is Free", async () => {
    const f = await paidTeam();
    for (const e of eventsFor(suite.h.standin, f.sub.id as string)) await deliver(e);
    await suite.h.stripe.subscriptions.update(f.sub.id as string, { cancel_at_period_end: true });
    await deliver(eventsFor(suite.h.standin, f.sub.id as string, "customer.subscription.updated").at(-1)!);
    expect(await teamState(f.teamId)).toMatchObject({ plan: "pro", cancel_at_period_end: true });
    await reevaluateBilling(suite.t.db, { graceDays: 7, now: new Date(Date.now() + 16 * 86_400_000) });
    expect((await teamState(f.teamId)).plan).toBe("free");

    const g = await paidTeam();
    for (const e of eventsFor(suite.h.standin, g.sub.id as string)) await deliver(e);
    await control(g.sub, "cancel");
    await deliver(eventsFor(suite.h.standin, g.sub.id as string, "customer.subscription.deleted").at(-1)!);
    expect(await teamState(g.teamId)).toMatchObject({ plan: "free", status: "canceled" });
  });

  it("refuses a wrong secret or a stale timestamp with 400 and applies nothing", async () => {
    const f = await paidTeam();
    const [created] = eventsFor(suite.h.standin, f.sub.id as string, "customer.subscription.created");
    const before = await count("select count(*) as n from public.stripe_events");
    expect((await deliver(created!, { secret: "whsec_wrong" })).status).toBe(400);
    const stale = await deliver(created!, { timestamp: nowSec() - 301 });
    expect(stale.status).toBe(400);
    expect(stale.body.error?.code).toBe("invalid_request");
    const unsigned = await POST(new Request("http://localhost/api/stripe/webhook", { method: "POST", body: JSON.stringify(created) }));
    expect(unsigned.status).toBe(400);
    expect(await count("select count(*) as n from public.stripe_events")).toBe(before);
    expect((await teamState(f.teamId)).plan).toBe("free");
  });

  it("answers 200 and applies nothing for unknown customers, unknown subscriptions and unhandled types", async () => {
    const f = await paidTeam();
    const [created] = eventsFor(suite.h.standin, f.sub.id as string, "customer.subscription.created");
    const foreign = structuredClone(created!) as StripeObject & { data: { object: Record<string, unknown> } };
    foreign.id = "evt_foreign_customer";
    foreign.data.object.customer = "cus_not_ours";
    expect(await deliver(foreign)).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    const ghost = structuredClone(created!) as StripeObject & { data: { object: Record<string, unknown> } };
    ghost.id = "evt_ghost_subscription";
    ghost.data.object.id = "sub_stripe_never_heard_of";
    expect(await deliver(ghost)).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect(await deliver({ id: "evt_other", object: "event", type: "charge.refunded", created: nowSec(), data: { object: { id: "ch_1", object: "charge" } } })).toMatchObject({
      status: 200,
      body: { outcome: "ignored" },
    });
    expect(await teamState(f.teamId)).toMatchObject({ plan: "free", status: null });
  });

  it("answers 500 when Stripe cannot be reached, records nothing, and applies the retry", async () => {
    const f = await paidTeam();
    const [created] = eventsFor(suite.h.standin, f.sub.id as string, "customer.subscription.created");
    const base = process.env.STRIPE_API_BASE;
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
    resetEnvCache();
    resetStripeClient();
    try {
      expect((await deliver(created!)).status).toBe(500);
    } finally {
      process.env.STRIPE_API_BASE = base;
      resetEnvCache();
      resetStripeClient();
    }
    expect(await count("select count(*) as n from public.stripe_events where id = $1", [created!.id])).toBe(0);
    expect((await deliver(created!)).body.outcome).toBe("applied");
    expect((await teamState(f.teamId)).plan).toBe("pro");
  });
});
