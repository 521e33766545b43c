import { createLocalJWKSet, exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { issueLicense, licenseJwks, rotateSigningKey } from "@/lib/billing/license";
import { startCheckout } from "@/lib/billing/sessions";
import { subscriptionStatus } from "@/lib/billing/subscription-status";
import { billingTeam, eventsFor, postWebhook, useBillingSuite } from "../billing-harness";
import { testDatabases } from "../databases";
import { queryAs } from "../fixtures";

describe.each(testDatabases())("license tokens and subscription status on $name", ({ open }) => {
  const suite = useBillingSuite(open);

  it("signs a token that verifies against the JWKS; tampered and expired ones do not", async () => {
    const claims = { teamId: "6f1d3f6e-1b7a-4c1e-9d55-0a1f0e0c1a2b", plan: "pro" as const, status: "trialing" };
    const lic = await issueLicense(suite.t.db, claims);
    const jwks = createLocalJWKSet(await licenseJwks(suite.t.db));
    const { payload, protectedHeader } = await jwtVerify(lic.token, jwks);
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(payload).toMatchObject({ sub: claims.teamId, jti: lic.jti, plan: "pro", status: "trialing", limits: { monthly_calls: 2000, keys: 5, rate_per_minute: 60, overage_allowed: true } });
    expect(payload.exp! - payload.iat!).toBe(86_400);
    expect(new Date(lic.expires_at).getTime()).toBe(payload.exp! * 1000);

    const [head, body, sig] = lic.token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...payload, plan: "business" })).toString("base64url");
    await expect(jwtVerify(`${head}.${forged}.${sig}`, jwks)).rejects.toThrow();
    expect(body).not.toBe(forged);
    const old = await issueLicense(suite.t.db, claims, { now: new Date(Date.now() - 25 * 3600 * 1000) });
    await expect(jwtVerify(old.token, jwks)).rejects.toMatchObject({ code: "ERR_JWT_EXPIRED" });
  });

  it("keeps a rotated key in the JWKS for 24 hours, and the key table is closed to users", async () => {
    const before = await issueLicense(suite.t.db, { teamId: "6f1d3f6e-1b7a-4c1e-9d55-0a1f0e0c1a2b", plan: "free", status: "free" });
    await rotateSigningKey(suite.t.db);
    const after = await issueLicense(suite.t.db, { teamId: "6f1d3f6e-1b7a-4c1e-9d55-0a1f0e0c1a2b", plan: "free", status: "free" });
    const jwks = await licenseJwks(suite.t.db);
    expect(jwks.keys).toHaveLength(2);
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/);
    for (const tok of [before.token, after.token]) await jwtVerify(tok, createLocalJWKSet(jwks));
    const later = await licenseJwks(suite.t.db, { now: new Date(Date.now() + 25 * 3600 * 1000) });
    expect(later.keys).toHaveLength(1);
    await expect(jwtVerify(before.token, createLocalJWKSet(later))).rejects.toThrow();
    const f = await billingTeam(suite.t.db);
    await expect(queryAs(suite.t.db, f.owner, "select kid from public.license_signing_keys")).rejects.toMatchObject({ code: "42501" });
  });

  it("signs with LICENSE_SIGNING_KEY when it is set", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const lic = await issueLicense(suite.t.db, { teamId: "6f1d3f6e-1b7a-4c1e-9d55-0a1f0e0c1a2b", plan: "business", status: "active" }, { envPem: pem });
    await jwtVerify(lic.token, createLocalJWKSet(await licenseJwks(suite.t.db, { envPem: pem })));
  });

  it("reports the subscription for the team's own apps", async () => {
    const f = await billingTeam(suite.t.db);
    expect(await subscriptionStatus(suite.t.db, f.teamId)).toEqual({
      plan: { id: "free", name: "Free", price: 0, currency: "USD" },
      status: "free",
      is_in_trial: false,
      trial_days_remaining: 0,
      trial_ends_at: null,
      current_period_end: null,
      days_until_expiry: null,
      cancel_at_period_end: false,
      needs_payment: false,
    });
    const url = await startCheckout({ stripe: suite.h.stripe, userId: f.owner, email: f.ownerEmail, teamId: f.teamId, plan: "pro" });
    await fetch(`${url}/pay`, { method: "POST", redirect: "manual" });
    const sub = [...suite.h.standin.store.subscriptions.values()].at(-1)!;
    for (const e of eventsFor(suite.h.standin, sub.id)) await postWebhook(webhook, e);
    const s = await subscriptionStatus(suite.t.db, f.teamId);
    expect(s).toMatchObject({ plan: { id: "pro", price: 29, currency: "USD" }, status: "trialing", is_in_trial: true, trial_days_remaining: 15, days_until_expiry: 15, needs_payment: false });
    // A trial that ended without payment needs payment.
    expect(await subscriptionStatus(suite.t.db, f.teamId, new Date(Date.now() + 16 * 86_400_000))).toMatchObject({ is_in_trial: false, needs_payment: true });
    await fetch(`${suite.h.standin.url}/_standin/subscriptions/${sub.id}/payment_failed`, { method: "POST" });
    await postWebhook(webhook, eventsFor(suite.h.standin, sub.id, "invoice.payment_failed").at(-1)!);
    expect(await subscriptionStatus(suite.t.db, f.teamId)).toMatchObject({ status: "past_due", needs_payment: true, plan: { id: "pro" } });
  });
});
