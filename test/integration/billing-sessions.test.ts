import { describe, expect, it } from "vitest";
import { absoluteUrl } from "@/lib/site-url";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { getBillingOverview } from "@/lib/billing/overview";
import { startCheckout, startPortal } from "@/lib/billing/sessions";
import { billingTeam, eventsFor, postWebhook, useBillingSuite } from "../billing-harness";
import { testDatabases } from "../databases";
import { queryAs } from "../fixtures";

describe.each(testDatabases())("Checkout, portal and the billing overview on $name", ({ open }) => {
  const suite = useBillingSuite(open);

  it("lets only the owner start Checkout or open the portal (403 for admin and member)", async () => {
    const f = await billingTeam(suite.t.db);
    for (const userId of [f.admin, f.member]) {
      await expect(startCheckout({ stripe: suite.h.stripe, userId, email: "x@example.com", teamId: f.teamId, plan: "pro" })).rejects.toMatchObject({ code: "forbidden", status: 403 });
      await expect(startPortal({ stripe: suite.h.stripe, userId, teamId: f.teamId })).rejects.toMatchObject({ code: "forbidden", status: 403 });
    }
    // Nobody reached Stripe on their behalf.
    expect([...suite.h.standin.store.customers.values()].filter((c) => (c.metadata as { team_id?: string }).team_id === f.teamId)).toHaveLength(0);
    await expect(startPortal({ stripe: suite.h.stripe, userId: f.owner, teamId: f.teamId })).rejects.toMatchObject({ code: "conflict" });

    const url = await startCheckout({ stripe: suite.h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan: "pro" });
    const session = [...suite.h.standin.store.checkoutSessions.values()].at(-1)!;
    expect(url).toBe(session.url);
    expect(session).toMatchObject({ mode: "subscription", client_reference_id: f.teamId, _trial_days: 15, success_url: absoluteUrl("/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}") });
    const lookupKeys = (session._prices as string[]).map((p) => suite.h.standin.store.prices.get(p)!.lookup_key);
    expect(lookupKeys).toEqual(["llavero_pro_monthly", "llavero_pro_overage"]);
    // A second click reuses the team's one customer.
    await startCheckout({ stripe: suite.h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan: "business" });
    expect([...suite.h.standin.store.customers.values()].filter((c) => (c.metadata as { team_id?: string }).team_id === f.teamId)).toHaveLength(1);

    const portal = await startPortal({ stripe: suite.h.stripe, userId: f.owner, teamId: f.teamId });
    expect(portal).toMatch(new RegExp(`^${suite.h.standin.url}/portal/bps_`));
    expect([...suite.h.standin.store.portalSessions.values()].at(-1)).toMatchObject({ return_url: absoluteUrl("/billing") });
  });

  it("refuses a second Checkout while a subscription is live", async () => {
    const f = await billingTeam(suite.t.db);
    const url = await startCheckout({ stripe: suite.h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan: "pro" });
    await fetch(`${url}/pay`, { method: "POST", redirect: "manual" });
    const sub = [...suite.h.standin.store.subscriptions.values()].at(-1)!;
    for (const e of eventsFor(suite.h.standin, sub.id)) await postWebhook(webhook, e);
    await expect(startCheckout({ stripe: suite.h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan: "business" })).rejects.toMatchObject({ code: "conflict" });
  });

  it("shows owners and admins the subscription, members plan and quota only (also under RLS)", async () => {
    const f = await billingTeam(suite.t.db);
    const url = await startCheckout({ stripe: suite.h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan: "pro" });
    await fetch(`${url}/pay`, { method: "POST", redirect: "manual" });
    const sub = [...suite.h.standin.store.subscriptions.values()].at(-1)!;
    for (const e of eventsFor(suite.h.standin, sub.id)) await postWebhook(webhook, e);
    const owner = await getBillingOverview(f.owner, f.teamId);
    expect(owner).toMatchObject({ role: "owner", plan: { id: "pro" }, quota: { limit: 2000, used: 0 }, billing: { status: "trialing", trialDaysLeft: 15, hasCustomer: true } });
    expect((await getBillingOverview(f.admin, f.teamId)).billing).toMatchObject({ status: "trialing" });
    const member = await getBillingOverview(f.member, f.teamId);
    expect(member).toMatchObject({ role: "member", plan: { id: "pro" }, billing: null });
    expect(await queryAs(suite.t.db, f.member, "select team_id, status from public.team_billing")).toHaveLength(0);
    expect(await queryAs(suite.t.db, f.member, "select id from public.billing_events")).toHaveLength(0);
    expect((await queryAs(suite.t.db, f.admin, "select status from public.team_billing where team_id = $1", [f.teamId]))[0]).toEqual({ status: "trialing" });
    await expect(queryAs(suite.t.db, f.owner, "select stripe_customer_id from public.team_billing")).rejects.toMatchObject({ code: "42501" });
    await expect(queryAs(suite.t.db, f.owner, "select id from public.stripe_events")).rejects.toMatchObject({ code: "42501" });
    await expect(queryAs(suite.t.db, f.owner, "update public.team_billing set status = 'active'")).rejects.toMatchObject({ code: "42501" });
  });
});
